import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../src/shared/free-port.js';
import { startLocalStack } from '../src/demo/local-stack.js';
import { projectRoot } from '../src/shared/project-root.js';
import { tourPages } from './page-tour.js';

/**
 * `npm run screens`: refreshes docs/screens/*.png, one per page and state (docs/ui.md), by walking
 * Debian's Chromium through the demo (scripts/page-tour.ts) on a throw-away stack: desktop in
 * Italian and English, and the main pages at a phone's width.
 */
const CHROMIUM = '/usr/bin/chromium';
const DESKTOP = { width: 1024, height: 768 };
const PHONE = { width: 360, height: 740 };
const ON_PHONE = new Set(['login', 'lost-codes', 'error-cancelled', 'consent', 'account', 'bridge-card', 'bridge-pin-unblock']);

async function main(): Promise<void> {
  const out = join(projectRoot(), 'docs', 'screens');
  await mkdir(out, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'cie-screens-'));
  const ports = { provider: await freePort(), rp: await freePort(), bridge: await freePort(), pki: await freePort() };
  const stack = await startLocalStack({ dir, ports, audit: () => undefined });
  // The same demo with its state storage unreachable (REDIS_URL to a port nobody listens on): the 503 page.
  const outageDir = await mkdtemp(join(tmpdir(), 'cie-screens-outage-'));
  const outagePorts = { provider: await freePort(), rp: await freePort(), bridge: await freePort(), pki: await freePort() };
  const outage = await startLocalStack({ dir: outageDir, ports: outagePorts, registry: false, audit: () => undefined, providerEnv: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const written: string[] = [];
  try {
    const runs = [
      { language: 'it' as const, viewport: DESKTOP, keep: () => true },
      { language: 'en' as const, viewport: DESKTOP, keep: () => true },
      { language: 'it' as const, viewport: PHONE, suffix: '-phone', keep: (name: string) => ON_PHONE.has(name.replace(/-it-phone$/, '')) },
    ];
    for (const run of runs) {
      const context = await tourPages(browser, stack, {
        ...run,
        outageRpUrl: outage.rpUrl,
        visit: async ({ name, page }) => {
          if (!run.keep(name)) return;
          await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
          written.push(name);
        },
      });
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.close();
    await outage.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outageDir, { recursive: true, force: true });
  }
  console.log(`docs/screens: ${written.length} screenshots\n${written.map((name) => `  ${name}.png`).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
