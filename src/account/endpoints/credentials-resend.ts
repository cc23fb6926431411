import type { Context } from 'koa';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/credentials/resend: a new confirmation code (the older ones stop counting), within the per-citizen mail limit. */
export async function credentialsResend(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, proof, credentials } = posted;
  const citizen = await credentials.store.citizen(proof.fiscalCode);
  if (!citizen?.email || citizen.emailConfirmed) return showCredentialsRefusal(ctx, deps, session, 'no_identity');
  if (!(await credentials.limits.codeMail(citizen.citizenIndex)).allowed) return showCredentialsRefusal(ctx, deps, session, 'too_many_mails');
  await refusalsShown(ctx, deps, session, async () => {
    await deps.sessions.rememberPendingCode(session, await credentials.codes.send(citizen, 'confirm_contact', requestLanguage(ctx)));
    doneRedirect(ctx, 'code-sent');
  });
}
