import type { Context } from 'koa';
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
    await credentials.contactChange.confirm(proof, codeId, (form.get('code') ?? '').slice(0, 32), requestLanguage(ctx));
    await deps.sessions.forgetPendingCode(session);
    await deps.history?.manage({ accountId: session.accountId, action: 'contact-changed' });
    doneRedirect(ctx, 'contact-changed');
  }, { form: 'contact' });
}
