import type { Context } from 'koa';
import type { AccountDeps } from '../account-deps.js';
import { formSession } from '../request-session.js';

/** POST /account/withdraw: every offline grant of this citizen to the named RP is revoked at once. */
export async function withdraw(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await formSession(ctx, deps);
  if (!posted) return;
  const clientId = posted.form.get('client_id') ?? '';
  const withdrawn = await deps.offlineAccess.withdraw(posted.session.accountId, clientId);
  if (withdrawn > 0) await deps.history?.manage({ accountId: posted.session.accountId, action: 'withdraw-offline-access', clientId });
  ctx.status = 303;
  ctx.redirect(withdrawn > 0 ? '/account?done=withdrawn' : '/account');
}
