import type { Context } from 'koa';
import { PASSWORD_AND_EMAIL_CODE, PASSWORD_ONLY } from '../../credentials/level-outcomes.js';
import { MailError } from '../../mail/mail-error.js';
import { rateLimitHits } from '../../observability/metrics.js';
import { answerError } from '../../shared/errors/answer-error.js';
import { clientNetwork } from '../client-network.js';
import { citizenOf } from '../stored-citizen.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { backHrefOf, handOutcome } from '../ceremony-outcome.js';
import { maskedEmail, renderPasswordStep } from './password-pages.js';
import { PASSWORD_AND_CODE_METHOD, PASSWORD_METHOD, type PasswordCeremony, type PasswordSignInDeps } from './password-sign-in-deps.js';
import { postedStep } from './posted-step.js';
import { startAppStage } from './app-stage.js';
import { unknownCeremony } from '../unknown-ceremony.js';

const FORM_LIMIT = 4 * 1024;

/**
 * POST /sign-in/password/:id: the username and password. The per-network limit counts before any
 * hashing; every refusal reads the same (`invalid_credentials`) for an unknown username and a wrong
 * password; the per-username wait (lockout) shows for any username alike. Level 1 ends here; level 2
 * mails the code to the confirmed address and moves the ceremony to the code step.
 */
export async function passwordSubmit(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  const step = await postedStep(ctx, ceremonies, 'password', FORM_LIMIT);
  if (!step) return;
  const { id, language, form, found } = step;
  const backHref = backHrefOf(deps.waiters, found.boundTo);
  const back = backHref ? { back: { href: backHref } } : {};

  const network = await deps.credentials.limits.passwordAttempt(clientNetwork(ctx.ip));
  if (!network.allowed) {
    rateLimitHits.inc({ limit: 'too_many_password_attempts' });
    return answerError(ctx, { code: 'too_many_password_attempts', language, retryAfterSeconds: network.retryAfterSeconds, ...back });
  }
  const outcome = await deps.credentials.signIn.attempt(form.get('username') ?? '', form.get('password') ?? '');
  if (!outcome.ok) {
    if (outcome.code === 'account_throttled') ctx.set('Retry-After', String(outcome.retryAfterSeconds));
    return renderPasswordStep(ctx, language, { id, ceremony: found.record, ...(backHref ? { backHref } : {}), errorCode: outcome.code, status: outcome.code === 'account_throttled' ? 429 : 401 });
  }
  if (found.record.level === 1) {
    const ended = await ceremonies.take(ctx, id);
    if (!ended) return unknownCeremony(ctx, language);
    return handOutcome(ctx, deps, ended.boundTo, { kind: 'verified', citizen: citizenOf(outcome.citizen, PASSWORD_METHOD, PASSWORD_ONLY) });
  }

  if (found.record.factor === 'app') return startAppStage(deps, ceremonies, ctx, { id, language, boundTo: found.boundTo, citizenIndex: outcome.citizen.citizenIndex });

  const mails = await deps.credentials.limits.codeMail(outcome.citizen.citizenIndex);
  if (!mails.allowed) {
    rateLimitHits.inc({ limit: 'too_many_code_mails' });
    return answerError(ctx, { code: 'too_many_code_mails', language, retryAfterSeconds: mails.retryAfterSeconds, ...back });
  }
  let codeId: string;
  try {
    codeId = await deps.credentials.codes.send(outcome.citizen, 'second_factor', language);
  } catch (error) {
    if (error instanceof MailError) return answerError(ctx, { code: 'mail_unavailable', language, ...back });
    throw error;
  }
  const next: PasswordCeremony = { level: 2, stage: 'code', language, citizenIndex: outcome.citizen.citizenIndex, codeId, sentTo: maskedEmail(outcome.citizen.email ?? '') };
  if (!(await ceremonies.advance(ctx, id, next))) return unknownCeremony(ctx, language);
  ctx.status = 303;
  ctx.redirect(`${ceremonies.basePath}/${id}?lang=${language}`);
}

/** The method a level-2 ceremony ends as. */
export const codeMethod = PASSWORD_AND_CODE_METHOD;
export const codeOutcome = PASSWORD_AND_EMAIL_CODE;
