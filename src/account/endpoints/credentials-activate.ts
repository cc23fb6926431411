import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import type { PasswordRule } from '../../credentials/password-policy.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/**
 * POST /account/credentials/activate: username (fiscal code or e-mail), e-mail contact, a password of
 * the policy (credential-activation.ts); the contact's code is mailed and its id kept by the session.
 */
export async function credentialsActivate(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const usernameKind = form.get('username_kind') === 'email' ? 'email' : 'fiscal_code';
  // Bounded, but well past 254: a longer address is refused by normalizeEmail, never cut into another one.
  const email = (form.get('email') ?? '').slice(0, 1024);
  const password = form.get('password') ?? '';
  const typed = { form: 'activate' as const, usernameKind, email };
  if (password !== (form.get('password_again') ?? '')) return showCredentialsRefusal(ctx, deps, session, 'passwords_differ', { ...typed, passwordsDiffer: true });
  const citizenIndex = credentials.store.citizenIndex(proof.fiscalCode);
  if (!(await credentials.limits.codeMail(citizenIndex)).allowed) return showCredentialsRefusal(ctx, deps, session, 'too_many_mails', typed);
  await refusalsShown(ctx, deps, session, async () => {
    try {
      const codeId = await credentials.activation.begin(proof, { usernameKind, email, password }, requestLanguage(ctx));
      await deps.sessions.rememberPendingCode(session, codeId);
    } catch (error) {
      if (error instanceof CredentialsError && error.code === 'password_policy') {
        return showCredentialsRefusal(ctx, deps, session, 'password_policy', { ...typed, brokenRules: (error.details.violations ?? []) as PasswordRule[] });
      }
      throw error;
    }
    await deps.history?.manage({ accountId: session.accountId, action: 'credentials-activated' });
    doneRedirect(ctx, 'code-sent');
  }, typed);
}
