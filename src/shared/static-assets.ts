import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';
import { projectRoot } from './project-root.js';

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The official kits we serve ourselves, so no page asks a CDN for anything (docs/ui.md): the
 * compiled Bootstrap Italia 2.x stylesheet (BSD-3-Clause, no JavaScript: our CSP has no room for
 * it and no page needs it) and Titillium Web from @fontsource (SIL OFL 1.1), the weights the
 * stylesheet uses, Latin and Latin Extended subsets. Served path → file under node_modules/.
 */
const vendorFiles: Record<string, string> = {
  'vendor/bootstrap-italia.min.css': 'bootstrap-italia/dist/css/bootstrap-italia.min.css',
  ...Object.fromEntries(['latin', 'latin-ext'].flatMap((subset) => ['300', '400', '600', '700'].flatMap((weight) => ['normal', 'italic'].map((style) => {
    const file = `titillium-web-${subset}-${weight}-${style}.woff2`;
    return [`fonts/${file}`, `@fontsource/titillium-web/files/${file}`];
  })))),
};

type Asset = { type: string; body: Buffer };

/**
 * The kit's stylesheet embeds one font as a data: URL (VideoJS's icons, for its video player, which
 * no page of ours has). Chromium loads such fonts eagerly and our CSP (font-src 'self') refuses them,
 * one console error per page: the rule is dropped from the copy we serve; the rest is served unchanged.
 */
export function withoutDataUrlFonts(css: string): string {
  return css.replace(/@font-face\{[^}]*url\(["']?data:[^}]*\}/g, '');
}

function readAssets(prefix: string): Map<string, Asset> {
  const root = projectRoot();
  const files = new Map<string, Asset>();
  const walk = (dir: string, base: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, `${base}${entry.name}/`);
      else if (types[extname(entry.name)]) files.set(`${prefix}/${base}${entry.name}`, { type: types[extname(entry.name)]!, body: readFileSync(path) });
    }
  };
  walk(join(root, 'views', 'assets'), '');
  for (const [served, file] of Object.entries(vendorFiles)) {
    const body = readFileSync(join(root, 'node_modules', file));
    files.set(`${prefix}/${served}`, { type: types[extname(file)]!, body: extname(file) === '.css' ? Buffer.from(withoutDataUrlFonts(body.toString('utf8'))) : body });
  }
  // Browsers ask every site for /favicon.ico whatever the page says: each server that serves our
  // assets answers it (the provider, the demo RP and the bridge).
  files.set('/favicon.ico', files.get(`${prefix}/favicon.ico`)!);
  return files;
}

/** Serves views/assets and the vendor files under `prefix`, read once at start (no path from the request touches the disk). */
export function staticAssets(prefix: string): Middleware {
  const files = readAssets(prefix);
  // Not async: every request passes through; only an asset's answer is made here.
  return (ctx, next) => {
    const file = ctx.method === 'GET' || ctx.method === 'HEAD' ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = file.body;
    return undefined;
  };
}
