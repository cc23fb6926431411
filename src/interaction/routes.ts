import Router from '@koa/router';
import { CARD_SIGN_IN, signIns } from '../observability/metrics.js';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { CARD_LOGIN } from '../oidc/acr.js';
import type { AccountStore } from '../oidc/accounts.js';
import { grantsOfflineAccess, OFFLINE_ACCESS } from '../oidc/offline-access-scope.js';
import type { OfflineGrantIndex } from '../storage/state/offline-grant-index.js';
import type { ChallengeStore } from '../cie/challenge-store.js';
import { CodedError } from '../shared/coded-error.js';
import { readForm, RequestBodyError } from '../shared/form-body.js';
import { renderPage } from '../shared/html.js';
import { chooseLanguage, type Language } from '../shared/language.js';
import { redirectToBridge } from '../sign-in/card/card-challenge-redirect.js';
import { cardNetworkLimit } from '../sign-in/card/card-network-limit.js';
import { countsAsCardFailure, noCardRateLimits, type CardRateLimits } from '../sign-in/card/card-rate-limits.js';
import type { CardLoginVerifier } from '../sign-in/card/card-login-verifier.js';
import { completionPath, endCancelledChallenge, type CompletionTickets } from '../sign-in/completion-tickets.js';
import { consentAttributes } from './consent-attributes.js';
import { consentRequest } from './consent-request.js';
import { finishInteraction } from './finish-interaction.js';
import { noLoginRecords, type LoginRecords } from './login-records.js';
import { messagesFor } from './messages.js';
import { answerRateLimited } from '../sign-in/rate-limited-answer.js';

export interface InteractionDeps {
  provider: Provider;
  origin: string;
  bridgeUrl: string;
  challenges: ChallengeStore;
  tickets: CompletionTickets;
  accounts: AccountStore;
  verifier: CardLoginVerifier;
  /** Where consented offline grants are recorded, for the citizen's account page. */
  offlineGrants: OfflineGrantIndex;
  /** The card limits: per client network, challenges and refused assertions per interaction; default none. */
  rateLimits?: CardRateLimits;
  /** The access registry: a login finishes only once its record is durable (docs/registry.md); default none. */
  records?: LoginRecords;
}

const ASSERTION_BODY_LIMIT = 32 * 1024;
const SMALL_BODY_LIMIT = 4 * 1024;

class InteractionError extends CodedError<'session_expired' | 'challenge_unknown' | 'wrong_prompt'> {}

function language(ctx: Context, uiLocales?: unknown): Language {
  const lang = chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    uiLocales: typeof uiLocales === 'string' ? uiLocales : undefined,
    acceptLanguage: ctx.get('accept-language'),
  });
  if (ctx.query.lang === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}

function pageData(lang: Language, title: (m: ReturnType<typeof messagesFor>) => string, extra: Record<string, unknown>) {
  const m = messagesFor(lang);
  return { lang, m, title: title(m), assets: '/assets', ...extra };
}

/** The login, card and consent steps of an authorization, between oidc-provider's redirects. */
export function interactionRoutes(deps: InteractionDeps): Router {
  const { provider } = deps;
  const rateLimits = deps.rateLimits ?? noCardRateLimits();
  const records = deps.records ?? noLoginRecords;
  const perNetwork = cardNetworkLimit(rateLimits.perNetwork);
  const router = new Router();

  /** Loads the interaction from its cookie and insists it is the one named in the URL. */
  async function interactionFor(ctx: Context) {
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      throw new InteractionError('session_expired', 'interaction cookie missing or expired', {}, { cause: error });
    }
    if (details.uid !== ctx.params.uid) throw new InteractionError('session_expired', 'interaction does not match the cookie');
    return details;
  }

  async function clientName(clientId: unknown): Promise<string> {
    const client = await provider.Client.find(String(clientId));
    return String(client?.clientName ?? clientId);
  }

  async function showError(ctx: Context, lang: Language, code: string, message: string, retryUid?: string, status = 400): Promise<void> {
    await renderPage(ctx, 'error', pageData(lang, (m) => m.errorTitle, { code, message, retryUid }), { status });
  }

  /** A card sign-in that failed (cancelled, wrong PIN, refused assertion...): "Riprova" while the limit allows. */
  async function showFailure(ctx: Context, lang: Language, uid: string, code: string): Promise<void> {
    const m = messagesFor(lang);
    const message = code === 'cancelled' ? m.cancelledAtBridge : deps.verifier.messageFor(code, lang);
    const languageSwitchPath = `/interaction/${encodeURIComponent(uid)}/cie/failed?code=${encodeURIComponent(code)}`;
    // The last allowed failure: no "Riprova", which would only meet the limit.
    if (!(await rateLimits.failuresPerInteraction.peek(uid)).allowed) {
      return renderPage(ctx, 'error', pageData(lang, (mm) => mm.errorTitle, { code, message: `${message} ${m.attemptsUsedUp}`, retryUid: undefined, backUid: uid }), { status: 400, languageSwitchPath });
    }
    return renderPage(ctx, 'error', pageData(lang, (mm) => mm.errorTitle, { code, message, retryUid: uid }), { status: 400, languageSwitchPath });
  }

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const lang = language(ctx);
      const m = messagesFor(lang);
      if (error instanceof InteractionError) {
        const message = error.code === 'challenge_unknown' ? m.challengeUnknown : m.sessionExpired;
        return showError(ctx, lang, error.code, message);
      }
      if (error instanceof RequestBodyError) {
        return showError(ctx, lang, error.code, m.genericError, undefined, error.code === 'body_too_large' ? 413 : 415);
      }
      ctx.app.emit('error', error, ctx);
      return showError(ctx, lang, 'server_error', m.genericError, undefined, 500);
    }
  });

  router.get('/interaction/:uid', async (ctx) => {
    const details = await interactionFor(ctx);
    const lang = language(ctx, details.params.ui_locales);
    const name = await clientName(details.params.client_id);
    if (details.prompt.name === 'login') {
      return renderPage(ctx, 'login', pageData(lang, (m) => m.loginTitle, { uid: details.uid, clientName: name, notice: undefined }));
    }
    if (details.prompt.name === 'consent') {
      const asked = consentRequest(details);
      const claims = (await deps.accounts.claimsOf(String(details.session?.accountId))) ?? {};
      return renderPage(ctx, 'consent', pageData(lang, (m) => m.consentTitle, {
        uid: details.uid,
        clientName: name,
        attributes: consentAttributes(asked.scopes, asked.claims, claims, lang),
        offlineRequested: asked.offlineAccess,
      }));
    }
    throw new InteractionError('wrong_prompt', `unexpected prompt ${details.prompt.name}`);
  });

  // "Entra con CIE": a challenge bound to this interaction.
  router.post('/interaction/:uid/cie', perNetwork, async (ctx) => {
    const details = await interactionFor(ctx);
    if (details.prompt.name !== 'login') throw new InteractionError('wrong_prompt', 'no login pending');
    const lang = language(ctx, details.params.ui_locales);
    const { challengesPerInteraction, failuresPerInteraction } = rateLimits;
    // One round trip: the failures so far, and this challenge counted. A challenge refused here is
    // never issued; one counted while storage then fails to keep the challenge costs one of ten.
    const [failures, challenges] = await Promise.all([failuresPerInteraction.peek(details.uid), challengesPerInteraction.hit(details.uid)]);
    if (!failures.allowed) return answerRateLimited(ctx, { code: 'too_many_failures', retryAfterSeconds: failures.retryAfterSeconds, backUid: details.uid, language: lang });
    if (!challenges.allowed) return answerRateLimited(ctx, { code: 'too_many_challenges', retryAfterSeconds: challenges.retryAfterSeconds, backUid: details.uid, language: lang });
    await redirectToBridge(ctx, deps, details.uid, lang);
  });

  // The bridge makes the browser post the assertion here (cross-site, so without our cookies).
  // The challenge says who waits for the outcome: an interaction, or a sign-in to the account page.
  router.post('/cie/assertion', perNetwork, async (ctx) => {
    const lang = language(ctx);
    const m = messagesFor(lang);
    const form = await readForm(ctx, ASSERTION_BODY_LIMIT);
    let ticket: string;
    let boundTo: string;
    if (form.get('error') === 'cancelled') {
      // Only a ticket: the challenge ends when the waiting browser redeems it (endCancelledChallenge).
      const challenge = form.get('challenge') ?? '';
      const cancelledBinding = await deps.challenges.bindingOf(challenge);
      if (!cancelledBinding) throw new InteractionError('challenge_unknown', 'cancel for an unknown challenge');
      boundTo = cancelledBinding;
      ticket = await deps.tickets.issue({ kind: 'failure', boundTo, code: 'cancelled', cancelledChallenge: challenge });
      signIns.inc({ ...CARD_SIGN_IN, outcome: 'cancelled' });
    } else {
      try {
        const login = await deps.verifier.verify(form.get('assertion') ?? '');
        boundTo = login.interactionUid;
        ticket = await deps.tickets.issue({ kind: 'login', boundTo, fiscalCode: login.fiscalCode, claims: login.claims, ...(login.certificateSerial ? { certificateSerial: login.certificateSerial } : {}) });
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        const knownBinding = error.details.interactionUid;
        if (typeof knownBinding !== 'string') return showError(ctx, lang, error.code, deps.verifier.messageFor(error.code, lang) || m.challengeUnknown);
        boundTo = knownBinding;
        if (countsAsCardFailure(error.code)) {
          const failures = await rateLimits.failuresPerInteraction.hit(boundTo);
          if (!failures.allowed) return answerRateLimited(ctx, { code: 'too_many_failures', retryAfterSeconds: failures.retryAfterSeconds, backUid: boundTo, language: lang });
        }
        ticket = await deps.tickets.issue({ kind: 'failure', boundTo, code: error.code });
      }
    }
    ctx.status = 303;
    ctx.redirect(completionPath(boundTo, ticket));
  });

  router.get('/interaction/:uid/cie/complete', async (ctx) => {
    const details = await interactionFor(ctx);
    const lang = language(ctx, details.params.ui_locales);
    const m = messagesFor(lang);
    const outcome = await deps.tickets.redeem(String(ctx.query.ticket ?? ''), details.uid);
    if (!outcome) return showError(ctx, lang, 'challenge_unknown', m.challengeUnknown, details.uid);
    const signIn = { interactionUid: details.uid, clientId: String(details.params.client_id), method: 'cie-card', requestParameters: details.params };
    if (outcome.kind === 'failure') {
      await endCancelledChallenge(deps.challenges, outcome);
      await records.signIn({ ...signIn, outcome: outcome.code === 'cancelled' ? 'cancelled' : 'refused', errorCode: outcome.code });
      return showFailure(ctx, lang, details.uid, outcome.code);
    }
    const accountId = await deps.accounts.saveFromCard(outcome.fiscalCode, outcome.claims);
    // Durable before the login finishes: a registry that cannot write makes this step a 503 (docs/registry.md).
    await records.signIn({ ...signIn, accountId, outcome: 'authenticated', acr: CARD_LOGIN.acr, amr: [...CARD_LOGIN.amr], attributes: outcome.claims, ...(outcome.certificateSerial ? { certificateSerial: outcome.certificateSerial } : {}) });
    await finishInteraction(ctx, details, {
      login: { accountId, acr: CARD_LOGIN.acr, amr: [...CARD_LOGIN.amr], remember: false, ts: Math.floor(Date.now() / 1000) },
    }, { mergeWithLastSubmission: false });
  });

  // The failure page again, without its one-time ticket: where the language switch of that page leads.
  router.get('/interaction/:uid/cie/failed', async (ctx) => {
    const details = await interactionFor(ctx);
    const lang = language(ctx, details.params.ui_locales);
    const code = String(ctx.query.code ?? '');
    // Only this browser's own interaction, and a code's shape: an unknown code reads as an internal error.
    if (!/^[a-z_]{1,40}$/.test(code)) throw new InteractionError('challenge_unknown', 'failure page without a code');
    return showFailure(ctx, lang, details.uid, code);
  });

  router.post('/interaction/:uid/confirm', async (ctx) => {
    const details = await interactionFor(ctx);
    if (details.prompt.name !== 'consent') throw new InteractionError('wrong_prompt', 'no consent pending');
    const form = await readForm(ctx, SMALL_BODY_LIMIT);
    const asked = consentRequest(details);
    const accountId = String(details.session?.accountId);
    const clientId = String(details.params.client_id);
    const sessionGrant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    if (details.grantId && !sessionGrant) throw new InteractionError('session_expired', 'grant vanished');
    // A consent that asks for offline access gets a grant of its own, carrying over the session
    // grant's other scopes and claims but never an earlier yes or no to offline access: a refresh token follows only
    // from the switch on this page (cie-oidc-profile.md §3.4). An earlier offline grant stays as it
    // is, listed on the account page until it is withdrawn or expires; a later sign-in never joins
    // it, so withdrawing it touches only the tokens the citizen consented to offline.
    const grant = asked.offlineAccess || !sessionGrant || grantsOfflineAccess(sessionGrant) ? new provider.Grant({ accountId, clientId }) : sessionGrant;
    if (grant !== sessionGrant && sessionGrant) {
      const carried = sessionGrant.getOIDCScope().split(' ').filter((scope) => scope && scope !== OFFLINE_ACCESS);
      if (carried.length > 0) grant.addOIDCScope(carried.join(' '));
      const carriedClaims = sessionGrant.getOIDCClaims();
      if (carriedClaims.length > 0) grant.addOIDCClaims(carriedClaims);
    }
    if (asked.scopes.length > 0) grant.addOIDCScope(asked.scopes.join(' '));
    if (asked.claims.length > 0) grant.addOIDCClaims(asked.claims);
    if (asked.offlineAccess) {
      // Declined, not merely missing: otherwise oidc-provider would ask for consent again.
      if (form.get('offline_access') === 'on') grant.addOIDCScope(OFFLINE_ACCESS);
      else grant.rejectOIDCScope(OFFLINE_ACCESS);
    }
    const grantId = await grant.save();
    const accountClaims = (await deps.accounts.claimsOf(accountId)) ?? {};
    const released = Object.fromEntries(consentAttributes(asked.scopes, asked.claims, accountClaims, 'it').map((attribute) => [attribute.claim, accountClaims[attribute.claim]]));
    await records.consent({ clientId, accountId, grantId, scopes: grant.getOIDCScope().split(' ').filter(Boolean), released, offlineAccess: grantsOfflineAccess(grant) });
    // Recorded before the RP can get a refresh token, so the citizen can always find and withdraw it.
    if (grantsOfflineAccess(grant)) {
      await Promise.all([deps.offlineGrants.record(accountId, grantId, grant.remainingTTL), deps.accounts.keepForOfflineGrant(accountId, grantId, grant.remainingTTL)]);
    }
    await finishInteraction(ctx, details, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  router.get('/interaction/:uid/abort', async (ctx) => {
    const details = await interactionFor(ctx);
    await records.signIn({ interactionUid: details.uid, clientId: String(details.params.client_id), method: 'cie-card', outcome: 'cancelled', errorCode: 'access_denied', requestParameters: details.params, ...(details.session?.accountId ? { accountId: details.session.accountId } : {}) });
    await finishInteraction(ctx, details, { error: 'access_denied', error_description: 'the citizen cancelled the sign-in' }, { mergeWithLastSubmission: false });
  });

  return router;
}
