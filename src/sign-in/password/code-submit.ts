import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { backHrefOf, handOutcome } from '../ceremony-outcome.js';
import { renderPasswordStep } from './password-pages.js';
import type { PasswordCeremony, PasswordSignInDeps } from './password-sign-in-deps.js';
import { citizenOf } from '../stored-citizen.js';
import { codeMethod, codeOutcome } from './password-submit.js';
import { postedStep } from './posted-step.js';
import { unknownCeremony } from '../unknown-ceremony.js';

const FORM_LIMIT = 1024;

/**
 * POST /sign-in/password/:id/code: the code from the mail. Right: level 2 (`pwd otp mfa`). Wrong:
 * the form again while the code has tries left; expired or out of tries: the ceremony ends as a
 * failure the waiter shows (its "Riprova" starts a new one, with a new mail).
 */
export async function codeSubmit(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  const step = await postedStep(ctx, ceremonies, 'code', FORM_LIMIT);
  if (!step) return;
  const { id, language, form, found } = step;
  const ceremony = found.record;
  try {
    await deps.credentials.codes.check(ceremony.citizenIndex, ceremony.codeId, form.get('code') ?? '', 'second_factor');
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    const backHref = backHrefOf(deps.waiters, found.boundTo);
    if (error.code === 'code_invalid' && Number(error.details.attemptsLeft ?? 0) > 0) {
      return renderPasswordStep(ctx, language, { id, ceremony, ...(backHref ? { backHref } : {}), errorCode: 'code_invalid', status: 400 });
    }
    const ended = await ceremonies.take(ctx, id);
    if (!ended) return unknownCeremony(ctx, language);
    const code = error.code === 'code_expired' ? 'code_expired' : error.code === 'code_invalid' ? 'code_attempts_exhausted' : error.code;
    return handOutcome(ctx, deps, ended.boundTo, { kind: 'failure', method: codeMethod, code });
  }
  const ended = await ceremonies.take(ctx, id);
  const citizen = ended && (await deps.credentials.store.citizenByIndex(ceremony.citizenIndex));
  if (!ended || !citizen) return unknownCeremony(ctx, language);
  return handOutcome(ctx, deps, ended.boundTo, { kind: 'verified', citizen: citizenOf(citizen, codeMethod, codeOutcome) });
}
