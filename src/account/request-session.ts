import type { Context } from 'koa';
import { readForm } from '../shared/form-body.js';
import { requestLanguage } from '../shared/request-language.js';
import { clearAccountCookie, SESSION_COOKIE } from './account-cookies.js';
import type { AccountDeps } from './account-deps.js';
import { errorNotice } from './account-notices.js';
import { showAccess, showSignIn } from './account-pages.js';
import { csrfTokenMatches, type AccountSession, type AccountSessions } from './account-sessions.js';

const FORM_BODY_LIMIT = 4 * 1024;

/** The session named by the cookie; a cookie whose session has ended is cleared and reported as expired. */
export async function currentSession(ctx: Context, sessions: AccountSessions): Promise<AccountSession | 'expired' | undefined> {
  const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
  if (!id) return undefined;
  const session = await sessions.find(id);
  if (session) return session;
  clearAccountCookie(ctx, SESSION_COOKIE);
  return 'expired';
}

/**
 * The signed-in session of a form post that carries its CSRF token; otherwise the answer is given
 * here (no session: back to the page; an ended one: the sign-in; a wrong token: 403) and nothing changes.
 */
export async function formSession(ctx: Context, deps: AccountDeps, bodyLimit = FORM_BODY_LIMIT): Promise<{ session: AccountSession; form: URLSearchParams } | undefined> {
  const form = await readForm(ctx, bodyLimit);
  const session = await currentSession(ctx, deps.sessions);
  const lang = requestLanguage(ctx);
  if (!session) {
    ctx.status = 303;
    ctx.redirect('/account');
    return undefined;
  }
  if (session === 'expired') {
    await showSignIn(ctx, deps, lang, errorNotice('session_expired', lang));
    return undefined;
  }
  if (!csrfTokenMatches(session, form.get('csrf'))) {
    await showAccess(ctx, deps, lang, session, errorNotice('csrf_invalid', lang), 403);
    return undefined;
  }
  return { session, form };
}
