import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/shared/free-port.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/demo/local-stack.js';
import { seedEmbeddedDatabase } from './pglite-template.js';

export interface TestStack extends LocalStack {
  audit: object[];
  dispose(): Promise<void>;
}

const READY_WITHIN_MS = 110_000;

async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const status = await fetch(url).then((response) => response.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${READY_WITHIN_MS / 1000} s (last: ${status})`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

/** The whole system on free ports in a temporary directory, torn down by `dispose`. */
export async function startTestStack(options: Partial<Pick<LocalStackOptions, 'providerEnv' | 'terminal' | 'openCredentialsAtStart'>> = {}): Promise<TestStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-stack-'));
  const audit: object[] = [];
  const ports = { provider: await freePort(), rp: await freePort(), bridge: await freePort(), pki: await freePort() };
  // No access registry: test/registry/ covers it end to end. The credentials' embedded database (REGISTRY_DIR)
  // starts from the template cluster rather than an initdb of its own.
  if (!options.providerEnv?.DATABASE_URL && !options.providerEnv?.REGISTRY_DIR) await seedEmbeddedDatabase(join(dir, 'registry'));
  const stack = await startLocalStack({ dir, ports, registry: false, audit: (event) => audit.push(event), ...options });
  // The credentials' database opens in the background (an initdb on a fresh directory): a browser step must not
  // be the one that waits for it, so the stack is handed over once the provider says it is ready.
  if (options.openCredentialsAtStart) await untilReady(`${stack.issuer}/readyz`);
  return {
    ...stack,
    audit,
    dispose: async () => {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
