import { createRedisClient } from '../../src/storage/redis/connection.js';
import type { RedisTlsFiles } from '../../src/storage/redis/redis-tls.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { spawnRedisCluster, spawnRedisSentinel, withCredentials, type RedisTopology } from '../support/redis-server.js';
import { redisAdapterHarness } from './redis-adapter-harness.js';
import { describeAdapterContract, type AdapterHarness } from './adapter-contract.js';
import { describeStateStoreContract, type StateStoreHarness } from './state-store-contract.js';
import { createTlsTestPki, type TlsTestPki } from './tls-test-pki.js';

// One TLS cluster and one TLS sentinel setup for the whole file: spawning them costs seconds. Every
// server requires a client certificate, so the contracts also prove it reaches every node, and a
// password: an ACL user on the cluster nodes (rediss-cluster://user:password@…), requirepass on the
// Sentinel's master (rediss-sentinel://:password@…/mymaster).
const USER = { name: 'tls-app', password: 'tls-user-s3cret' };
const PASSWORD = 'tls-master-s3cret';
let pki: TlsTestPki;
let cluster: RedisTopology;
let sentinel: RedisTopology;

beforeAll(async () => {
  pki = await createTlsTestPki();
  const serverTls = { caFile: pki.caFile, ...pki.server };
  [cluster, sentinel] = await Promise.all([spawnRedisCluster(serverTls, { user: USER }), spawnRedisSentinel(serverTls, { auth: { password: PASSWORD } })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), sentinel?.stop()]);
  await pki?.remove();
});

function clientTls(): RedisTlsFiles {
  return { caFile: pki.caFile, ...pki.client };
}

// A single seed node: the other two masters are found through CLUSTER SLOTS and must get TLS too.
const topologies: [string, () => string, () => RedisTopology][] = [
  ['rediss-cluster', () => withCredentials(cluster.url.split(',')[0]!, { user: USER.name, password: USER.password }), () => cluster],
  ['rediss-sentinel', () => withCredentials(sentinel.url, { password: PASSWORD }), () => sentinel],
];

describe.each(topologies)('%s', (label, url, topology) => {
  describeAdapterContract(label, async (): Promise<AdapterHarness> => {
    const client = await createRedisClient(url(), { tls: clientTls() });
    return redisAdapterHarness(client, `${topology().keyPrefix}adapter`, async () => client.disconnect());
  });

  describeStateStoreContract(label, async (): Promise<StateStoreHarness> => {
    const client = await createRedisClient(url(), { tls: clientTls() });
    let stores = 0;
    return {
      create: () => new RedisStateStore(client, `${topology().keyPrefix}store${(stores += 1)}:`),
      close: async () => client.disconnect(),
    };
  });

  test('a server certificate from another CA is refused, naming the certificate error', async () => {
    const otherPki = await createTlsTestPki();
    try {
      // The cause is the handshake's error event before the budget ends (the cluster client only ends at the budget,
      // so it is the test's length): 500 ms could run out first under CI load and leave "no answer" without a cause.
      const connecting = createRedisClient(url(), { tls: { caFile: otherPki.caFile, ...pki.client }, timeoutMs: 1_500, onError: () => {} });
      await expect(connecting).rejects.toMatchObject({ code: 'storage_unavailable', message: expect.stringMatching(/unavailable: .*certificate/) });
    } finally {
      await otherPki.remove();
    }
  });

  test('a plain-TCP client is refused', async () => {
    const plainUrl = url().replace(/^rediss-/, 'redis-');
    await expect(createRedisClient(plainUrl, { timeoutMs: 500, onError: () => {} })).rejects.toMatchObject({ code: 'storage_unavailable' });
  });
});
