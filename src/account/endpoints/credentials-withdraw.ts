import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect } from '../credentials/credentials-failure.js';

/** POST /account/credentials/withdraw: "remove everything" — username, password, contact, passkeys, pending codes. */
export async function credentialsWithdraw(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, proof, credentials } = posted;
  await credentials.activation.removeAll(proof);
  await deps.sessions.forgetPendingCode(session);
  await deps.history?.manage({ accountId: session.accountId, action: 'credentials-withdrawn' });
  doneRedirect(ctx, 'credentials-withdrawn');
}
