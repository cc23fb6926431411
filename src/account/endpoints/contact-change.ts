import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import { normalizeEmail } from '../../credentials/usernames.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/**
 * POST /account/credentials/contact: a new e-mail address for active credentials
 * (credentials/contact-change.ts). A code is mailed there, within the per-citizen mail limit, and its
 * id kept by the session; the confirmed address stays the contact until the code comes back.
 */
export async function contactChange(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  // Bounded, but well past 254: a longer address is refused by normalizeEmail, never cut into another one.
  const typed = { form: 'contact' as const, email: (form.get('email') ?? '').slice(0, 1024) };
  const citizen = await credentials.store.citizen(proof.fiscalCode);
  if (!citizen?.email || !citizen.emailConfirmed) return showCredentialsRefusal(ctx, deps, session, 'no_identity');
  const email = normalizeEmail(typed.email);
  if (!email) return showCredentialsRefusal(ctx, deps, session, 'invalid_email', typed);
  if (email === citizen.email) return showCredentialsRefusal(ctx, deps, session, 'contact_unchanged', typed);
  // Counted before the username check too: the limit also bounds how many addresses one citizen can try.
  if (!(await credentials.limits.codeMail(citizen.citizenIndex)).allowed) return showCredentialsRefusal(ctx, deps, session, 'too_many_mails', typed);
  await refusalsShown(ctx, deps, session, async () => {
    try {
      await deps.sessions.rememberPendingCode(session, await credentials.contactChange.request(proof, email, requestLanguage(ctx)));
    } catch (error) {
      // The username is the address and would move to it: say why this address cannot be the contact.
      if (error instanceof CredentialsError && error.code === 'username_taken') return showCredentialsRefusal(ctx, deps, session, 'contact_username_taken', typed);
      throw error;
    }
    doneRedirect(ctx, 'contact-code-sent');
  }, typed);
}
