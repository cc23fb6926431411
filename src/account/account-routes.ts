import Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import type { ChallengeStore } from '../cie/challenge-store.js';
import type { CardLoginVerifier } from '../sign-in/card/card-login-verifier.js';
import { redirectToBridge } from '../sign-in/card/card-challenge-redirect.js';
import { cardNetworkLimit } from '../sign-in/card/card-network-limit.js';
import { noCardRateLimits } from '../sign-in/card/card-rate-limits.js';
import { accountSignInBinding, endCancelledChallenge, TICKET_TTL_SECONDS, type CompletionTickets } from '../sign-in/completion-tickets.js';
import { accountIdFor } from '../oidc/accounts.js';
import { claimLabels } from '../oidc/cie-claims.js';
import type { FixedWindowLimiter } from '../storage/state/rate-limiter.js';
import { readForm, RequestBodyError } from '../shared/form-body.js';
import { renderPage } from '../shared/html.js';
import { chooseLanguage, type Language } from '../shared/language.js';
import type { AccessHistory, AccessHistoryRecord } from './access-history.js';
import { historyCsv } from './access-history-export.js';
import { historyMessagesFor } from './access-history-messages.js';
import { ACCOUNT_SESSION_TTL_SECONDS, csrfTokenMatches, type AccountSession, type AccountSessions } from './account-sessions.js';
import { accountMessagesFor } from './messages.js';
import type { OfflineAccessRegistry } from './offline-access.js';

export interface AccountDeps {
  origin: string;
  bridgeUrl: string;
  challengeTtlSeconds: number;
  challenges: ChallengeStore;
  tickets: CompletionTickets;
  verifier: CardLoginVerifier;
  sessions: AccountSessions;
  offlineAccess: OfflineAccessRegistry;
  /** The per-client-network card limit, shared with the login's card steps; default none. */
  networkLimit?: FixedWindowLimiter;
  /** The citizen's records in the access registry (docs/registry.md); default none. */
  history?: AccessHistory;
}

interface Notice {
  kind: 'ok' | 'error';
  code: string;
  text: string;
}

const FORM_BODY_LIMIT = 4 * 1024;
/** Holds the random id a card sign-in's challenge is bound to, until the ticket comes back. */
const SIGN_IN_COOKIE = 'account_sign_in';
/** Holds the id of the server-side account session. */
const SESSION_COOKIE = 'account_session';

function language(ctx: Context): Language {
  const lang = chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    acceptLanguage: ctx.get('accept-language'),
  });
  if (ctx.query.lang === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}

/** Signed with the provider's cookie keys, sent only to /account, never to scripts or on cross-site posts. */
function setCookie(ctx: Context, name: string, value: string, maxAgeSeconds: number): void {
  ctx.cookies.set(name, value, { signed: true, httpOnly: true, sameSite: 'lax', path: '/account', secure: ctx.secure, overwrite: true, maxAge: maxAgeSeconds * 1000 });
}

function clearCookie(ctx: Context, name: string): void {
  ctx.cookies.set(name, null, { signed: true, httpOnly: true, sameSite: 'lax', path: '/account', secure: ctx.secure, overwrite: true });
}

function formatDate(epochSeconds: number, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(epochSeconds * 1000));
}

/**
 * "I tuoi accessi": the citizen signs in with the card (same challenge, bridge, verifier and
 * completion ticket as a login, bound to a sign-in cookie instead of an OIDC interaction), sees the
 * relying parties holding offline access, and withdraws it (cie-oidc-profile.md §3.4).
 */
export function accountRoutes(deps: AccountDeps): Router {
  const router = new Router();
  const perNetwork = cardNetworkLimit(deps.networkLimit ?? noCardRateLimits().perNetwork);

  function page(lang: Language, extra: Record<string, unknown>) {
    const m = accountMessagesFor(lang);
    return { lang, m, title: m.accountTitle, assets: '/assets', notice: undefined, ...extra };
  }

  async function showSignIn(ctx: Context, lang: Language, notice?: Notice, status = 200): Promise<void> {
    // Drawn for a one-time ticket or a form post: the switch leads to the page itself, not back there.
    const languageSwitchPath = ctx.method === 'GET' && ctx.path === '/account' ? undefined : '/account';
    await renderPage(ctx, 'account-sign-in', page(lang, { notice }), { status, ...(languageSwitchPath ? { languageSwitchPath } : {}) });
  }

  async function showAccess(ctx: Context, lang: Language, session: AccountSession, notice?: Notice, status = 200): Promise<void> {
    const accesses = (await deps.offlineAccess.list(session.accountId)).map((access) => ({
      clientId: access.clientId,
      clientName: access.clientName,
      grantedOn: formatDate(access.grantedAt, lang),
      attributes: access.claims.map((claim) => claimLabels[claim]![lang]),
    }));
    const h = historyMessagesFor(lang);
    const history = (await deps.history?.list(session.accountId) ?? []).map((record) => historyRow(record, lang));
    await renderPage(ctx, 'account', page(lang, { notice, accesses, fiscalCode: session.fiscalCode, csrfToken: session.csrfToken, h, history, withHistory: deps.history !== undefined }), { status, ...(ctx.method === 'GET' ? {} : { languageSwitchPath: '/account' }) });
  }

  /** One line of "Storico dei tuoi accessi": when, service, event, level, attributes released. */
  function historyRow(record: AccessHistoryRecord, lang: Language) {
    const h = historyMessagesFor(lang);
    const { details } = record;
    const released = Array.isArray(details.attributes) ? (details.attributes as string[]).map((claim) => claimLabels[claim]?.[lang] ?? claim).join(', ') : '';
    return {
      kind: record.kind,
      when: formatDate(Date.parse(record.recordedAt) / 1000, lang),
      service: record.clientId ?? '',
      event: record.kind === 'consent' ? h.consentEvent : record.kind === 'management' ? h.managementEvent(String(details.action)) : h.signInEvent(String(details.outcome)),
      level: typeof details.acr === 'string' ? h.levelName(details.acr) : '',
      released,
    };
  }

  /** The session named by the cookie; a cookie whose session has ended is cleared and reported as expired. */
  async function currentSession(ctx: Context): Promise<AccountSession | 'expired' | undefined> {
    const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    if (!id) return undefined;
    const session = await deps.sessions.find(id);
    if (session) return session;
    clearCookie(ctx, SESSION_COOKIE);
    return 'expired';
  }

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const lang = language(ctx);
      const m = accountMessagesFor(lang);
      const status = error instanceof RequestBodyError ? (error.code === 'body_too_large' ? 413 : 415) : 500;
      if (status === 500) ctx.app.emit('error', error, ctx);
      await renderPage(ctx, 'error', { ...page(lang, {}), m: { ...m, errorTitle: m.accountErrorTitle }, title: m.accountErrorTitle, code: error instanceof RequestBodyError ? error.code : 'server_error', message: m.genericError, retryUid: undefined }, { status });
    }
  });

  router.get('/account', async (ctx) => {
    const lang = language(ctx);
    const m = accountMessagesFor(lang);
    const session = await currentSession(ctx);
    if (session === 'expired') return showSignIn(ctx, lang, { kind: 'error', code: 'session_expired', text: m.accountSessionExpired });
    if (!session) return showSignIn(ctx, lang, ctx.query.done === 'signed-out' ? { kind: 'ok', code: 'signed_out', text: m.signedOut } : undefined);
    return showAccess(ctx, lang, session, ctx.query.done === 'withdrawn' ? { kind: 'ok', code: 'withdrawn', text: m.withdrawn } : undefined);
  });

  // "Entra con CIE": a challenge bound to a fresh sign-in id that only this browser holds.
  router.post('/account/cie', perNetwork, async (ctx) => {
    const lang = language(ctx);
    const signInId = randomBytes(32).toString('base64url');
    setCookie(ctx, SIGN_IN_COOKIE, signInId, deps.challengeTtlSeconds + TICKET_TTL_SECONDS);
    await redirectToBridge(ctx, deps, accountSignInBinding(signInId), lang);
  });

  // /cie/assertion sends the browser here with the ticket; the sign-in cookie proves it is the same browser.
  router.get('/account/cie/complete', async (ctx) => {
    const lang = language(ctx);
    const m = accountMessagesFor(lang);
    const signInId = ctx.cookies.get(SIGN_IN_COOKIE, { signed: true });
    if (!signInId) return showSignIn(ctx, lang, { kind: 'error', code: 'sign_in_expired', text: m.signInUnknown }, 400);
    clearCookie(ctx, SIGN_IN_COOKIE);
    const outcome = await deps.tickets.redeem(String(ctx.query.ticket ?? ''), accountSignInBinding(signInId));
    if (!outcome) return showSignIn(ctx, lang, { kind: 'error', code: 'challenge_unknown', text: m.signInUnknown }, 400);
    if (outcome.kind === 'failure') {
      await endCancelledChallenge(deps.challenges, outcome);
      const text = outcome.code === 'cancelled' ? m.cancelledAtBridge : deps.verifier.messageFor(outcome.code, lang);
      return showSignIn(ctx, lang, { kind: 'error', code: outcome.code, text }, 400);
    }
    // Recorded before the page opens (the citizen's management of their access is kept as the accesses are).
    await deps.history?.manage({ accountId: accountIdFor(outcome.fiscalCode), action: 'account-sign-in', ...(outcome.certificateSerial ? { certificateSerial: outcome.certificateSerial } : {}) });
    const session = await deps.sessions.start(accountIdFor(outcome.fiscalCode), outcome.fiscalCode);
    setCookie(ctx, SESSION_COOKIE, session.id, ACCOUNT_SESSION_TTL_SECONDS);
    ctx.status = 303;
    ctx.redirect('/account');
  });

  /** The signed-in session of a form post with its CSRF token; otherwise the answer is already given. */
  async function formSession(ctx: Context): Promise<{ session: AccountSession; form: URLSearchParams } | undefined> {
    const form = await readForm(ctx, FORM_BODY_LIMIT);
    const session = await currentSession(ctx);
    const lang = language(ctx);
    const m = accountMessagesFor(lang);
    if (!session) {
      ctx.status = 303;
      ctx.redirect('/account');
      return undefined;
    }
    if (session === 'expired') {
      await showSignIn(ctx, lang, { kind: 'error', code: 'session_expired', text: m.accountSessionExpired });
      return undefined;
    }
    if (!csrfTokenMatches(session, form.get('csrf'))) {
      await showAccess(ctx, lang, session, { kind: 'error', code: 'csrf_invalid', text: m.csrfInvalid }, 403);
      return undefined;
    }
    return { session, form };
  }

  router.post('/account/withdraw', async (ctx) => {
    const posted = await formSession(ctx);
    if (!posted) return;
    const clientId = posted.form.get('client_id') ?? '';
    const withdrawn = await deps.offlineAccess.withdraw(posted.session.accountId, clientId);
    if (withdrawn > 0) await deps.history?.manage({ accountId: posted.session.accountId, action: 'withdraw-offline-access', clientId });
    ctx.status = 303;
    ctx.redirect(withdrawn > 0 ? '/account?done=withdrawn' : '/account');
  });

  // The citizen downloads their records (JSON or CSV); the download is recorded in the registry first.
  router.post('/account/history', async (ctx) => {
    const posted = await formSession(ctx);
    if (!posted || !deps.history) return;
    const records = await deps.history.download(posted.session.accountId);
    const csv = posted.form.get('format') === 'csv';
    ctx.set('Cache-Control', 'no-store');
    ctx.attachment(csv ? 'accessi-cie.csv' : 'accessi-cie.json');
    ctx.type = csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
    ctx.body = csv ? historyCsv(records) : JSON.stringify({ records }, null, 2);
  });

  router.post('/account/sign-out', async (ctx) => {
    const posted = await formSession(ctx);
    if (!posted) return;
    await deps.sessions.end(posted.session.id);
    clearCookie(ctx, SESSION_COOKIE);
    ctx.status = 303;
    ctx.redirect('/account?done=signed-out');
  });

  return router;
}
