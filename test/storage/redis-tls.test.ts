import { createRedisClient } from '../../src/oidc/redis/connection.js';
import { RedisStateStore } from '../../src/oidc/state/redis-state-store.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { describeStateStoreContract, type StateStoreHarness } from './state-store-contract.js';
import { createTlsTestPki, type TlsTestPki } from './tls-test-pki.js';

// One TLS-only redis-server that requires client certificates, shared by the whole file.
let pki: TlsTestPki;
let otherPki: TlsTestPki;
let server: RedisHandle;

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTlsTestPki(), createTlsTestPki()]);
  server = await spawnRedis({ caFile: pki.caFile, ...pki.server });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([pki?.remove(), otherPki?.remove()]);
});

describeStateStoreContract('rediss://', async (): Promise<StateStoreHarness> => {
  const client = await createRedisClient(server.url, { tls: { caFile: pki.caFile, ...pki.client } });
  let stores = 0;
  return {
    create: () => new RedisStateStore(client, `${server.keyPrefix}${(stores += 1)}:`),
    close: async () => void (await client.quit()),
  };
});

describe('rediss:// refuses', () => {
  const refused = { code: 'storage_unavailable' };
  const quietly = { timeoutMs: 500, onError: () => {} };

  test('a server certificate from another CA, naming the certificate error', async () => {
    const connecting = createRedisClient(server.url, { ...quietly, tls: { caFile: otherPki.caFile, ...pki.client } });
    await expect(connecting).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/unavailable: .*certificate/) });
  });

  test('the test CA when no CA file is given: only public CAs are trusted then', async () => {
    await expect(createRedisClient(server.url, { ...quietly, tls: pki.client })).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/certificate/) });
  });

  test('a client without a certificate when the server requires one', async () => {
    await expect(createRedisClient(server.url, { ...quietly, tls: { caFile: pki.caFile } })).rejects.toMatchObject(refused);
  });

  test('a plain-TCP client', async () => {
    await expect(createRedisClient(server.url.replace(/^rediss:/, 'redis:'), quietly)).rejects.toMatchObject(refused);
  });
});
