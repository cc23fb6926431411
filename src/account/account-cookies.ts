import type { Context } from 'koa';

/** Holds the random id a card sign-in is bound to, until the ticket comes back. */
export const SIGN_IN_COOKIE = 'account_sign_in';
/** Holds the id of the server-side account session. */
export const SESSION_COOKIE = 'account_session';

/** Signed with the provider's cookie keys, sent only to /account, never to scripts or on cross-site posts. */
export function setAccountCookie(ctx: Context, name: string, value: string, maxAgeSeconds: number): void {
  ctx.cookies.set(name, value, { signed: true, httpOnly: true, sameSite: 'lax', path: '/account', secure: ctx.secure, overwrite: true, maxAge: maxAgeSeconds * 1000 });
}

export function clearAccountCookie(ctx: Context, name: string): void {
  ctx.cookies.set(name, null, { signed: true, httpOnly: true, sameSite: 'lax', path: '/account', secure: ctx.secure, overwrite: true });
}
