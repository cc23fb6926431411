import type { Context } from 'koa';
import { CARD_SIGN_IN, signIns } from '../../observability/metrics.js';
import { CARD_LOGIN } from '../../oidc/acr.js';
import { CodedError } from '../../shared/coded-error.js';
import { readForm } from '../../shared/form-body.js';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import type { Language } from '../../shared/language.js';
import { requestLanguage } from '../../shared/request-language.js';
import { bindingFromKey } from '../binding-key.js';
import { answerRateLimited } from '../rate-limited-answer.js';
import type { SignInBinding } from '../sign-in-binding.js';
import { SignInError } from '../sign-in-error.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import type { VerifiedCitizen } from '../verified-citizen.js';
import { waiterLinks } from '../waiter-links.js';
import type { VerifiedCardLogin } from './card-login-verifier.js';
import { countsAsCardFailure } from './card-rate-limits.js';
import { CARD_METHOD, CARD_PATH_NAME, type CardSignInDeps } from './card-sign-in-deps.js';

const ASSERTION_BODY_LIMIT = 32 * 1024;

/** The binding a challenge was issued for; a challenge that names no registered waiter is refused. */
function boundBinding(deps: CardSignInDeps, boundTo: string): SignInBinding {
  const binding = bindingFromKey(boundTo);
  if (!binding) throw new SignInError('unknown_waiter', 'a challenge bound to no waiter');
  waiterOf(deps.waiters, binding);
  return binding;
}

function verifiedCitizen(login: VerifiedCardLogin): VerifiedCitizen {
  return { method: CARD_METHOD, fiscalCode: login.fiscalCode, claims: login.claims, acr: CARD_LOGIN.acr, amr: [...CARD_LOGIN.amr], ...(login.certificateSerial ? { certificateSerial: login.certificateSerial } : {}) };
}

/** A cancel at the bridge: only a ticket; the challenge ends when the waiting browser redeems it. */
async function cancelled(deps: CardSignInDeps, challenge: string): Promise<{ binding: SignInBinding; ticket: string }> {
  const boundTo = await deps.challenges.bindingOf(challenge);
  if (!boundTo) throw new SignInError('challenge_unknown', 'cancel for an unknown challenge');
  const binding = boundBinding(deps, boundTo);
  const ticket = await deps.tickets.issue(binding, { kind: 'failure', method: CARD_METHOD, code: 'cancelled' }, { endsChallenge: challenge });
  signIns.inc({ ...CARD_SIGN_IN, outcome: 'cancelled' });
  return { binding, ticket };
}

/** A refused assertion of a known sign-in: counted against its binding, then a failure ticket (or a 429). */
async function refused(deps: CardSignInDeps, ctx: Context, lang: Language, binding: SignInBinding, boundTo: string, code: string): Promise<string | undefined> {
  if (countsAsCardFailure(code)) {
    const failures = await deps.rateLimits.failuresPerInteraction.hit(boundTo);
    if (!failures.allowed) {
      await answerRateLimited(ctx, { code: 'too_many_failures', retryAfterSeconds: failures.retryAfterSeconds, links: waiterLinks(deps.waiters, binding, CARD_PATH_NAME, false), language: lang });
      return undefined;
    }
  }
  return deps.tickets.issue(binding, { kind: 'failure', method: CARD_METHOD, code });
}

/**
 * POST /cie/assertion: the bridge makes the browser post the assertion here (cross-site, so without
 * our cookies). The challenge says who waits for the outcome; the outcome becomes a one-time ticket
 * and a 303 to the waiter's completion path.
 */
export async function cardAssertionEndpoint(deps: CardSignInDeps, ctx: Context): Promise<void> {
  const lang = requestLanguage(ctx);
  const form = await readForm(ctx, ASSERTION_BODY_LIMIT);
  let done: { binding: SignInBinding; ticket: string };
  if (form.get('error') === 'cancelled') {
    done = await cancelled(deps, form.get('challenge') ?? '');
  } else {
    try {
      const login = await deps.verifier.verify(form.get('assertion') ?? '');
      const binding = boundBinding(deps, login.boundTo);
      done = { binding, ticket: await deps.tickets.issue(binding, { kind: 'verified', citizen: verifiedCitizen(login) }) };
    } catch (error) {
      if (!(error instanceof CodedError) || error instanceof SignInError) throw error;
      // cie/ carries the challenge's binding in `boundTo`: present once the challenge was known.
      const boundTo = error.details.boundTo;
      // No known sign-in: the page says why, with no link back (400 whatever the code, as a refused assertion).
      if (typeof boundTo !== 'string') return renderErrorPage(ctx, { code: error.code, language: lang, status: 400 });
      const binding = boundBinding(deps, boundTo);
      const ticket = await refused(deps, ctx, lang, binding, boundTo, error.code);
      if (!ticket) return;
      done = { binding, ticket };
    }
  }
  ctx.status = 303;
  ctx.redirect(waiterOf(deps.waiters, done.binding).completionPath(done.binding.id, done.ticket));
}
