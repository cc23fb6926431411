import type { Context } from 'koa';
import { renamePasskey } from '../../credentials/passkey-rename.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/passkeys/rename: a new name (1–64 printable characters) for one of the citizen's own passkeys. */
export async function passkeyRename(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const credentialId = (form.get('credential_id') ?? '').slice(0, 1024);
  const label = (form.get('label') ?? '').slice(0, 1024);
  const outcome = await renamePasskey(credentials.store, proof, credentialId, label);
  if (outcome === 'invalid_label') return showCredentialsRefusal(ctx, deps, session, 'passkey_label_invalid', { form: 'rename', credentialId, label });
  if (outcome === 'unknown') return showCredentialsRefusal(ctx, deps, session, 'passkey_unknown');
  await deps.history?.manage({ accountId: session.accountId, action: 'passkey-renamed' });
  doneRedirect(ctx, 'passkey-renamed');
}
