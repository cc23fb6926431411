import type { Context } from 'koa';
import { CredentialsError } from '../../credentials/credentials-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** POST /account/credentials/contact/confirm: the code from the new address makes it the contact; the old address is warned. */
export async function contactConfirm(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const codeId = await deps.sessions.pendingCode(session);
  if (!codeId) return showCredentialsRefusal(ctx, deps, session, 'no_pending_code');
  await refusalsShown(ctx, deps, session, async () => {
    try {
      await credentials.contactChange.confirm(proof, codeId, (form.get('code') ?? '').slice(0, 32), requestLanguage(ctx));
    } catch (error) {
      // The e-mail username would have moved to an address another citizen took meanwhile: nothing changed.
      if (error instanceof CredentialsError && error.code === 'username_taken') return showCredentialsRefusal(ctx, deps, session, 'contact_username_taken');
      throw error;
    }
    await deps.sessions.forgetPendingCode(session);
    await deps.history?.manage({ accountId: session.accountId, action: 'contact-changed' });
    doneRedirect(ctx, 'contact-changed');
  }, { form: 'contact' });
}
