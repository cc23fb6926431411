import type { Context } from 'koa';
import { newPasswordRefusal } from '../../credentials/password-policy.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';
import { currentUsername } from '../credentials/current-username.js';

/**
 * POST /account/credentials/password: a new password of the policy (breached-password lists included)
 * for the same username. The old one is not asked: the fresh card sign-in proves more than it would
 * (and is the recovery of a forgotten one).
 */
export async function passwordChange(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const citizen = await credentials.store.citizen(proof.fiscalCode);
  const username = citizen ? await currentUsername(credentials, citizen) : undefined;
  if (!citizen || !username) return showCredentialsRefusal(ctx, deps, session, 'no_identity');
  const password = form.get('password') ?? '';
  if (password !== (form.get('password_again') ?? '')) return showCredentialsRefusal(ctx, deps, session, 'passwords_differ', { form: 'password', passwordsDiffer: true });
  const refusal = await newPasswordRefusal(password, { fiscalCode: proof.fiscalCode, ...(citizen.email ? { email: citizen.email } : {}) }, credentials.breachedPasswords);
  if (refusal) return showCredentialsRefusal(ctx, deps, session, refusal.code, { form: 'password', ...(refusal.code === 'password_policy' ? { brokenRules: refusal.violations } : {}) });
  await refusalsShown(ctx, deps, session, async () => {
    await credentials.store.setPassword(citizen.citizenIndex, username, await credentials.hasher.hash(password));
    await deps.history?.manage({ accountId: session.accountId, action: 'password-changed' });
    doneRedirect(ctx, 'password-changed');
  });
}
