import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { loadProviderConfig } from '../../src/config/config.js';
import type { AuthenticationEntry } from '../../src/registry/access-registry.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { StorageOutageWatch } from '../../src/storage/guard/storage-outage-watch.js';
import { RegistryUnavailableError } from '../../src/registry/registry-error.js';
import { cachedTrustChain, openProviderRegistry, registryLoginRecords } from '../../src/registry-wiring.js';
import { captureLogs } from '../support/captured-logs.js';

const stash = new Map<string, object>([['registry-request:uid-1', { request: 'eyJ.request.object' }]]);
const store = { get: async <T extends object>(key: string) => stash.get(key) as T | undefined, put: async () => {} };
const chain = { trustAnchor: 'https://ta.example.it/', exp: 1_900_000_000, statements: ['rp-ec', 'ta-statement', 'ta-ec'] };
const chains = { cached: (subject: string) => (subject === 'https://federated-rp.example.it/' ? chain : undefined) };

test('a sign-in is recorded with the request object as received and, for a federated RP, the trust chain from the cache', async () => {
  const recorded: AuthenticationEntry[] = [];
  const registry = { recordAuthentication: async (entry: AuthenticationEntry) => void recorded.push(entry), recordConsent: async () => {} };
  const records = registryLoginRecords(registry as never, store, new StorageOutageWatch(), cachedTrustChain(chains));
  await records.signIn({ interactionUid: 'uid-1', clientId: 'https://federated-rp.example.it/', method: 'cie-card', outcome: 'authenticated' });
  await records.signIn({ interactionUid: 'uid-2', clientId: 'https://static-rp.example.it', method: 'cie-card', outcome: 'refused', errorCode: 'pin_blocked' });
  expect(recorded).toEqual([
    { clientId: 'https://federated-rp.example.it/', method: 'cie-card', outcome: 'authenticated', requestObject: 'eyJ.request.object', trustChain: { trust_anchor: 'https://ta.example.it/', exp: 1_900_000_000, statements: ['rp-ec', 'ta-statement', 'ta-ec'] } },
    { clientId: 'https://static-rp.example.it', method: 'cie-card', outcome: 'refused', errorCode: 'pin_blocked' },
  ]);
});

test('a registry outage becomes the storage outage the guard answers with 503', async () => {
  const registry = { recordAuthentication: async () => { throw new RegistryUnavailableError(new Error('ECONNREFUSED')); }, recordConsent: async () => {} };
  const watch = new StorageOutageWatch();
  const records = registryLoginRecords(registry as never, store, watch);
  let thrown: unknown;
  const failed = await watch.watch(async () => {
    thrown = await records.signIn({ interactionUid: 'uid-1', clientId: 'rp', method: 'cie-card', outcome: 'authenticated' }).catch((error: unknown) => error);
  });
  expect(failed).toBe(true);
  expect(thrown).toBeInstanceOf(StorageUnavailableError);
});

test('a registry outage names the registry in its message, not Redis (the operator looks at the right server)', async () => {
  const registry = { recordAuthentication: async () => { throw new RegistryUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432')); }, recordConsent: async () => {} };
  const thrown = await registryLoginRecords(registry as never, store, new StorageOutageWatch()).signIn({ interactionUid: 'uid-1', clientId: 'rp', method: 'cie-card', outcome: 'authenticated' }).catch((error: unknown) => error as Error);
  expect(thrown).toBeInstanceOf(StorageUnavailableError);
  expect((thrown as Error).message).toMatch(/access registry/);
  expect((thrown as Error).message).toMatch(/ECONNREFUSED/);
  expect((thrown as Error).message).not.toMatch(/Redis/);
});

test('an embedded registry that cannot be opened (directory locked by another process) is logged as an error and makes every login a 503, not a bare 500', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'registry-locked-'));
  const registryDir = join(dir, 'registry');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(registryDir);
  const unlock = await lockfile.lock(registryDir, { lockfilePath: `${registryDir}.lock` });
  const logs = captureLogs('info');
  try {
    const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3999', REGISTRY_DIR: registryDir });
    const registry = await openProviderRegistry(config);
    const watch = new StorageOutageWatch();
    let thrown: unknown;
    const failed = await watch.watch(async () => {
      thrown = await registryLoginRecords(registry, store, watch).signIn({ interactionUid: 'uid-1', clientId: 'rp', method: 'cie-card', outcome: 'authenticated' }).catch((error: unknown) => error);
    });
    expect(failed).toBe(true);
    expect(thrown).toBeInstanceOf(StorageUnavailableError);
    expect((thrown as Error).message).toMatch(/open in another process/);
    expect(await registry.available()).toBe(false);
    const opening = logs.lines.find((line) => line.event === 'registry_open_failed');
    expect(opening).toMatchObject({ level: 'error', component: 'registry' });
    expect(String(opening?.msg)).toMatch(/open in another process/);
    await registry.close();
  } finally {
    logs.restore();
    await unlock();
    await rm(dir, { recursive: true, force: true });
  }
});

test('each signed checkpoint goes to the operations log too: a copy outside the database an intruder cannot rewrite with it', async () => {
  const { jest } = await import('@jest/globals');
  const { startRegistryMaintenance } = await import('../../src/registry-wiring.js');
  const checkpoint = { seq: 42, kind: 'periodic', hash: 'a'.repeat(64), jws: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln' };
  const registry = { purge: async () => ({ removed: 0 }), checkpoint: async () => checkpoint };
  const config = loadProviderConfig({ KEYS_DIR: '/nonexistent', CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3999', REGISTRY_CHECKPOINT_INTERVAL: '60' });
  const logs = captureLogs('info');
  jest.useFakeTimers();
  try {
    const stop = startRegistryMaintenance(registry as never, config);
    await jest.advanceTimersByTimeAsync(60_000);
    stop();
  } finally {
    jest.useRealTimers();
    logs.restore();
  }
  expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'info', component: 'registry', event: 'registry_checkpoint', seq: 42, hash: 'a'.repeat(64) }));
});
