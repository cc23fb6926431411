import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/shared/free-port.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/demo/local-stack.js';

export interface TestStack extends LocalStack {
  audit: object[];
  dispose(): Promise<void>;
}

/** The whole system on free ports in a temporary directory, torn down by `dispose`. */
export async function startTestStack(options: Partial<Pick<LocalStackOptions, 'providerEnv' | 'terminal' | 'openCredentialsAtStart'>> = {}): Promise<TestStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-stack-'));
  const audit: object[] = [];
  const ports = { provider: await freePort(), rp: await freePort(), bridge: await freePort(), pki: await freePort() };
  // No access registry: an embedded one costs an initdb per stack; test/registry/ covers it end to end.
  const stack = await startLocalStack({ dir, ports, registry: false, audit: (event) => audit.push(event), ...options });
  return {
    ...stack,
    audit,
    dispose: async () => {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
