import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's script, the version @axe-core/playwright (our dependency) is built on. */
const AXE_SOURCE = readFileSync(createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright')).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact?: string | null;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now, each violation as "rule (impact): targets".
 * axe is put once into every frame and `axe.run` runs in the page: @axe-core/playwright's default runs
 * per frame and then opens a blank page to finish, putting its ~0.5 MB of script in twice (its "legacy
 * mode" twice as well), about twice the time per page measured in the browser suites, for what only a
 * frame from another origin needs; a page with one is refused here rather than half checked. Only
 * violations are collected in full (passes are not read).
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const foreign = page.frames().filter((frame) => frame !== page.mainFrame() && !frame.url().startsWith('about:') && new URL(frame.url(), page.url()).origin !== origin);
  if (foreign.length > 0) throw new Error(`${page.url()} has frames from other origins (${foreign.map((frame) => frame.url()).join(', ')}): check it with axe's default mode`);
  // Every frame: the top frame's axe asks the others for their part by message.
  for (const frame of page.frames()) await frame.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async (tags) => (await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })),
    WCAG_21_AA,
  );
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
