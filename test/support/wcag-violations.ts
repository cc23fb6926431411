import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now, each violation as "rule (impact): targets".
 * axe.run in the page itself ("legacy mode"): the default runs per frame and then finishes in a new blank
 * page, injecting axe (~0.5 MB of script) twice — about twice the time per page, measured in the browser
 * suites — for what only a cross-origin frame needs; a page with one is refused here rather than half-checked.
 * Only violations are collected in full (passes are not read).
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const foreign = page.frames().filter((frame) => frame !== page.mainFrame() && !frame.url().startsWith('about:') && new URL(frame.url(), page.url()).origin !== origin);
  if (foreign.length > 0) throw new Error(`${page.url()} has frames from other origins (${foreign.map((frame) => frame.url()).join(', ')}): check it with axe's default mode`);
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).options({ resultTypes: ['violations'] }).setLegacyMode().analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
