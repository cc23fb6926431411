import type { Context } from 'koa';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import type { Language } from '../../shared/language.js';
import { errorNotice, type Notice } from '../account-notices.js';
import { credentialsMessagesFor } from '../credentials/credentials-messages.js';
import { showAccess, showSignIn } from '../account-pages.js';
import { accountMessagesFor } from '../messages.js';
import { currentSession } from '../request-session.js';

/** The confirmation a redirect after a change asked for (`?done=`), or none for an unknown one. */
function doneNotice(done: string, lang: Language): Notice | undefined {
  if (done === 'withdrawn') return { kind: 'ok', code: 'withdrawn', text: accountMessagesFor(lang).withdrawn };
  const text = Object.hasOwn(credentialsMessagesFor(lang).done, done) ? credentialsMessagesFor(lang).done[done] : undefined;
  return text ? { kind: 'ok', code: done, text } : undefined;
}

/** GET /account: the sign-in page, or the list for a signed-in citizen, with the notice a redirect asked for. */
export async function show(ctx: Context, deps: AccountDeps): Promise<void> {
  const lang = requestLanguage(ctx);
  const m = accountMessagesFor(lang);
  const session = await currentSession(ctx, deps.sessions);
  if (session === 'expired') return showSignIn(ctx, deps, lang, errorNotice('session_expired', lang));
  if (!session) return showSignIn(ctx, deps, lang, ctx.query.done === 'signed-out' ? { kind: 'ok', code: 'signed_out', text: m.signedOut } : undefined);
  return showAccess(ctx, deps, lang, session, doneNotice(String(ctx.query.done ?? ''), lang));
}
