import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/credentials/confirm: the code from the mail confirms the contact; the password signs in from now on. */
export async function credentialsConfirm(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const codeId = await deps.sessions.pendingCode(session);
  if (!codeId) return showCredentialsRefusal(ctx, deps, session, 'no_pending_code');
  await refusalsShown(ctx, deps, session, async () => {
    await credentials.activation.confirm(proof, codeId, (form.get('code') ?? '').slice(0, 32));
    await deps.sessions.forgetPendingCode(session);
    await deps.history?.manage({ accountId: session.accountId, action: 'contact-confirmed' });
    doneRedirect(ctx, 'activated');
  });
}
