import type { Context } from 'koa';
import { clearAccountCookie, SESSION_COOKIE } from '../account-cookies.js';
import type { AccountDeps } from '../account-deps.js';
import { formSession } from '../request-session.js';

/** POST /account/sign-out: the session record is deleted, so it ends on every provider instance. */
export async function signOut(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await formSession(ctx, deps);
  if (!posted) return;
  await deps.sessions.end(posted.session.id);
  clearAccountCookie(ctx, SESSION_COOKIE);
  ctx.status = 303;
  ctx.redirect('/account?done=signed-out');
}
