import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';
import { projectRoot } from './project-root.js';

const types: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript; charset=utf-8' };

/** Serves the few files of views/assets under `prefix`, read once at start (no path from the request touches the disk). */
export function staticAssets(prefix: string): Middleware {
  const root = join(projectRoot(), 'views', 'assets');
  const files = new Map<string, { type: string; body: Buffer }>();
  const walk = (dir: string, base: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, `${base}${entry.name}/`);
      else if (types[extname(entry.name)]) files.set(`${prefix}/${base}${entry.name}`, { type: types[extname(entry.name)]!, body: readFileSync(path) });
    }
  };
  walk(root, '');
  return async (ctx, next) => {
    const file = ctx.method === 'GET' || ctx.method === 'HEAD' ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = file.body;
  };
}
