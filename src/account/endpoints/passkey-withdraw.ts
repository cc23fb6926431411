import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/passkeys/withdraw: one of the citizen's own passkeys goes (another citizen's id matches nothing). */
export async function passkeyWithdraw(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const credentialId = (form.get('credential_id') ?? '').slice(0, 1024);
  if (!(await credentials.store.removePasskey(credentials.store.citizenIndex(proof.fiscalCode), credentialId))) return showCredentialsRefusal(ctx, deps, session, 'passkey_unknown');
  await deps.history?.manage({ accountId: session.accountId, action: 'passkey-withdrawn' });
  doneRedirect(ctx, 'passkey-withdrawn');
}
