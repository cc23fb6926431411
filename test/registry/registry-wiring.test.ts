import type { AuthenticationEntry } from '../../src/registry/access-registry.js';
import { StorageUnavailableError } from '../../src/oidc/redis/storage-unavailable-error.js';
import { StorageOutageWatch } from '../../src/oidc/storage-outage-watch.js';
import { RegistryUnavailableError } from '../../src/registry/registry-error.js';
import { cachedTrustChain, registryLoginRecords } from '../../src/registry-wiring.js';

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
