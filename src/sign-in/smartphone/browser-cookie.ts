import type { Context } from 'koa';

/**
 * The secret that makes a browser the owner of its smartphone sign-in. One cookie per session (a
 * citizen may have two tabs), scoped to the smartphone paths, Lax so the app's hand-back link
 * (a top-level navigation) carries it.
 */
export function browserCookieName(sessionId: string): string {
  return `phone_${sessionId.slice(0, 16)}`;
}

export function setBrowserCookie(ctx: Context, sessionId: string, secret: string, maxAgeSeconds: number): void {
  ctx.cookies.set(browserCookieName(sessionId), secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/smartphone',
    maxAge: maxAgeSeconds * 1000,
    overwrite: true,
  });
}

export function browserSecretOf(ctx: Context, sessionId: string): string | undefined {
  return ctx.cookies.get(browserCookieName(sessionId));
}
