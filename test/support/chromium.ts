import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CodedError } from '../../src/shared/coded-error.js';

/** Debian's Chromium; CI installs it, so its absence is an error, never a reason to skip. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// The background-networking flags matter: without them Chromium keeps dialling Google services and
// this machine's closed network refuses those connections. --no-sandbox because tests run as root.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * How long one browser step (a click's navigation, a wait for a page) may take. A card sign-in under CI
 * load (2 cores, 2 jest workers beside Chromium, an initdb or a scrypt hash in another suite) has been
 * seen past 10 s at the bridge's result page; a step that is really stuck still fails well before the
 * test's own jest timeout, with Playwright's message naming the step.
 */
export const BROWSER_STEP_TIMEOUT_MS = 30_000;

export class ChromiumMissingError extends CodedError<'chromium_missing'> {
  constructor() {
    super('chromium_missing', `Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" to run the browser tests`);
  }
}

/**
 * Launches headless Chromium for browser tests; the caller closes it. `loopbackHosts` are extra host
 * names that resolve to 127.0.0.1: ports do not make sites differ, so a test that needs two sites
 * on this machine serves one of them under such a name.
 */
export async function launchChromium(options: { loopbackHosts?: string[] } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ChromiumMissingError();
  }
  const hosts = options.loopbackHosts ?? [];
  const hostRules = hosts.length > 0 ? [`--host-resolver-rules=${hosts.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`] : [];
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...FLAGS, ...hostRules] });
}
