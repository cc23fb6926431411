import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';
import { projectRoot } from '../shared/project-root.js';

export const BRIDGE_ASSETS_PREFIX = '/bridge-assets';

const types: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * The bridge's own stylesheet and scripts (views/bridge/assets), read once at start: the bridge pages
 * are self-contained, served by the bridge itself under its CSP (`'self'` only), whatever the provider
 * pages' assets become. Bootstrap Italia, the fonts and the favicon come from the shared assets, which
 * the bridge also serves itself (`/assets`).
 */
export function bridgeAssets(): Middleware {
  const dir = join(projectRoot(), 'views', 'bridge', 'assets');
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(dir)) {
    const type = types[extname(name)];
    if (type) files.set(`${BRIDGE_ASSETS_PREFIX}/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  return async (ctx, next) => {
    const file = ctx.method === 'GET' || ctx.method === 'HEAD' ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = file.body;
  };
}
