import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';
import { currentUsername } from '../credentials/current-username.js';

/**
 * POST /account/credentials/username: the password now goes with the other username the citizen may
 * have (the fiscal code or the confirmed contact address; credentials/username-change.ts). Another
 * citizen's username is refused with `username_taken`: only a citizen who has just signed in with the
 * card can ask, about an address they confirmed themselves (docs/account.md).
 */
export async function usernameChange(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const kind = form.get('username_kind') === 'email' ? 'email' : 'fiscal_code';
  const citizen = await credentials.store.citizen(proof.fiscalCode);
  const current = citizen?.emailConfirmed ? await currentUsername(credentials, citizen) : undefined;
  if (!current) return showCredentialsRefusal(ctx, deps, session, 'no_identity');
  if (current.kind === kind) return showCredentialsRefusal(ctx, deps, session, 'username_unchanged', { form: 'username', usernameKind: kind });
  await refusalsShown(ctx, deps, session, async () => {
    try {
      await credentials.usernameChange.change(proof, kind);
    } catch (error) {
      if (error instanceof CredentialsError && error.code === 'username_taken') return showCredentialsRefusal(ctx, deps, session, 'username_email_taken', { form: 'username', usernameKind: kind });
      throw error;
    }
    await deps.history?.manage({ accountId: session.accountId, action: 'username-changed' });
    doneRedirect(ctx, 'username-changed');
  }, { form: 'username', usernameKind: kind });
}
