import type { Context } from 'koa';

/**
 * Whether the request comes from a phone's browser: the Client Hint `Sec-CH-UA-Mobile: ?1`
 * (Chromium sends it unasked) or, for the others, the User-Agent's usual phone words. Used to
 * choose defaults (the smartphone sign-in first, its same-device mode), never to refuse anything.
 */
export function isPhoneBrowser(ctx: Pick<Context, 'get'>): boolean {
  const hint = ctx.get('sec-ch-ua-mobile');
  if (hint === '?1') return true;
  if (hint === '?0') return false;
  return /\b(Android|iPhone|iPad|iPod|Mobile)\b/.test(ctx.get('user-agent'));
}
