import type { Context } from 'koa';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { errorNotice } from '../account-notices.js';
import { showAccess, showSignIn } from '../account-pages.js';
import { accountMessagesFor } from '../messages.js';
import { currentSession } from '../request-session.js';

/** GET /account: the sign-in page, or the list for a signed-in citizen, with the notice a redirect asked for. */
export async function show(ctx: Context, deps: AccountDeps): Promise<void> {
  const lang = requestLanguage(ctx);
  const m = accountMessagesFor(lang);
  const session = await currentSession(ctx, deps.sessions);
  if (session === 'expired') return showSignIn(ctx, deps, lang, errorNotice('session_expired', lang));
  if (!session) return showSignIn(ctx, deps, lang, ctx.query.done === 'signed-out' ? { kind: 'ok', code: 'signed_out', text: m.signedOut } : undefined);
  return showAccess(ctx, deps, lang, session, ctx.query.done === 'withdrawn' ? { kind: 'ok', code: 'withdrawn', text: m.withdrawn } : undefined);
}
