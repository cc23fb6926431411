import ejs from 'ejs';
import { join } from 'node:path';
import type { Context } from 'koa';
import { projectRoot } from './project-root.js';
import { DEFAULT_SITE, type SiteSettings } from './site-settings.js';

const viewsDir = join(projectRoot(), 'views');

/**
 * Renders a view from views/ (EJS escapes every `<%= %>` value) with headers every page of ours
 * carries: no caching, no framing, no referrer outside our own origin (URLs may carry one-time
 * tickets; `same-origin` rather than `no-referrer`, which makes browsers send `Origin: null` on our
 * own form posts, and the bridge checks that header), and a CSP that
 * allows only our own assets (fonts included: Titillium Web is served by us). `formActions` lists the
 * origins a page may submit to. The page's header and footer read `site` (operator, links), set by
 * the app's siteSettings middleware.
 */
export async function renderPage(ctx: Context, view: string, data: Record<string, unknown>, options: { status?: number; formActions?: string[]; connectToSelf?: boolean; languageSwitchPath?: string } = {}): Promise<void> {
  const site = (ctx.state as { site?: SiteSettings }).site ?? DEFAULT_SITE;
  const switchLanguageHref = (target: string) => languageSwitchHref(ctx, target, options.languageSwitchPath);
  // `root`: an include written from the views' root ('/partials/head') is resolved without asking the
  // disk; a relative one is looked for with a stat at every render (ejs's getIncludePath).
  // `compileDebug: false`: no line bookkeeping compiled into every statement of every template (ejs's
  // default instruments them to name the line of an error); the suites render every view.
  const html = await ejs.renderFile(join(viewsDir, `${view}.ejs`), { site, switchLanguageHref, ...data }, { views: [viewsDir], root: viewsDir, async: false, cache: true, compileDebug: false });
  ctx.status = options.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('X-Content-Type-Options', 'nosniff');
  // form-action also governs the redirects that follow a form POST. Provider pages end in redirects
  // to whatever redirect_uri an RP registered (as panva's example notes), so they get no
  // form-action; the bridge knows exactly where its forms go and lists them.
  const formAction = options.formActions ? `; form-action ${["'self'", ...options.formActions].join(' ')}` : '';
  // Only a page whose own script polls its server (the bridge's progress page) may fetch, and only from its origin.
  const connect = options.connectToSelf ? "; connect-src 'self'" : '';
  // data: images: the kit (bootstrap-italia) draws its icons as data: URLs in its CSS, and Chromium
  // may fetch one in an early style pass before our overriding sheet applies. An image runs no script
  // and a data: URL reaches no other origin.
  ctx.set('Content-Security-Policy', `default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; script-src 'self'${connect}${formAction}; frame-ancestors 'none'; base-uri 'none'`);
  ctx.body = html;
}

/**
 * Where the language switch leads: the same page in the other language. An ordinary page keeps its
 * query string (a relative `?…` link, so a mount prefix does not matter). A page reached through a
 * one-time link (a ticket) or drawn as the answer to a form post names a stable page instead
 * (`languageSwitchPath`): reloading the ticket would only say "expired".
 */
export function languageSwitchHref(ctx: Pick<Context, 'querystring'>, target: string, stablePath?: string): string {
  if (stablePath !== undefined) {
    const [path, query = ''] = stablePath.split('?', 2) as [string, string?];
    const params = new URLSearchParams(query);
    params.set('lang', target);
    return `${path}?${params.toString()}`;
  }
  const params = new URLSearchParams(ctx.querystring);
  params.delete('ticket');
  params.set('lang', target);
  return `?${params.toString()}`;
}
