import ejs from 'ejs';
import { join } from 'node:path';
import type { Context } from 'koa';
import { projectRoot } from './project-root.js';

const viewsDir = join(projectRoot(), 'views');

/**
 * Renders a view from views/ (EJS escapes every `<%= %>` value) with headers every page of ours
 * carries: no caching, no framing, no referrer (URLs may carry one-time tickets), and a CSP that
 * allows only our own assets. `formActions` lists origins a page may submit to.
 */
export async function renderPage(ctx: Context, view: string, data: Record<string, unknown>, options: { status?: number; formActions?: string[] } = {}): Promise<void> {
  const html = await ejs.renderFile(join(viewsDir, `${view}.ejs`), data, { views: [viewsDir], async: false });
  ctx.status = options.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  const formAction = ["'self'", ...(options.formActions ?? [])].join(' ');
  ctx.set('Content-Security-Policy', `default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`);
  ctx.body = html;
}
