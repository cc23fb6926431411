import { createRedisClient } from '../../src/storage/redis/connection.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { spawnRedis, withCredentials, type RedisHandle } from '../support/redis-server.js';
import { redisAdapterHarness } from './redis-adapter-harness.js';
import { describeAdapterContract, type AdapterHarness } from './adapter-contract.js';
import { describeStateStoreContract, type StateStoreHarness } from './state-store-contract.js';
import { createTlsTestPki, type TlsTestPki } from './tls-test-pki.js';

// One TLS-only redis-server that requires client certificates and a password (an ACL user, the
// default user switched off), shared by the whole file: rediss://user:password@host:port.
const USER = { name: 'tls-app', password: 'tls-s3cret' };
let pki: TlsTestPki;
let otherPki: TlsTestPki;
let server: RedisHandle;
let url: string;

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTlsTestPki(), createTlsTestPki()]);
  server = await spawnRedis({ caFile: pki.caFile, ...pki.server }, { user: USER });
  url = withCredentials(server.url, { user: USER.name, password: USER.password });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([pki?.remove(), otherPki?.remove()]);
});

describeAdapterContract('rediss://', async (): Promise<AdapterHarness> => {
  const client = await createRedisClient(url, { tls: { caFile: pki.caFile, ...pki.client } });
  return redisAdapterHarness(client, `${server.keyPrefix}adapter`, async () => void (await client.quit()));
});

describeStateStoreContract('rediss://', async (): Promise<StateStoreHarness> => {
  const client = await createRedisClient(url, { tls: { caFile: pki.caFile, ...pki.client } });
  let stores = 0;
  return {
    create: () => new RedisStateStore(client, `${server.keyPrefix}${(stores += 1)}:`),
    close: async () => void (await client.quit()),
  };
});

describe('rediss:// refuses', () => {
  const refused = { code: 'storage_unavailable' };
  const quietly = { timeoutMs: 500, onError: () => {} };
  // Where the test reads the cause, the refusal comes as soon as it is known (tens of ms); a 500 ms budget could
  // run out first under CI load, leaving only "no answer within 500 ms". This bound only stops a hang.
  const naming = { timeoutMs: 5_000, onError: () => {} };

  test('a server certificate from another CA, naming the certificate error', async () => {
    const connecting = createRedisClient(url, { ...naming, tls: { caFile: otherPki.caFile, ...pki.client } });
    await expect(connecting).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/unavailable: .*certificate/) });
  });

  test('the test CA when no CA file is given: only public CAs are trusted then', async () => {
    await expect(createRedisClient(url, { ...naming, tls: pki.client })).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/certificate/) });
  });

  test('a client without a certificate when the server requires one', async () => {
    await expect(createRedisClient(url, { ...quietly, tls: { caFile: pki.caFile } })).rejects.toMatchObject(refused);
  });

  test('a plain-TCP client', async () => {
    await expect(createRedisClient(url.replace(/^rediss:/, 'redis:'), quietly)).rejects.toMatchObject(refused);
  });

  test('a wrong password (the TLS handshake itself succeeds)', async () => {
    const reported: string[] = [];
    const wrong = withCredentials(server.url, { user: USER.name, password: 'wrong' });
    const connecting = createRedisClient(wrong, { ...naming, onError: (error) => reported.push(error.message), tls: { caFile: pki.caFile, ...pki.client } });
    await expect(connecting).rejects.toMatchObject(refused);
    expect(reported).toEqual(expect.arrayContaining([expect.stringMatching(/^WRONGPASS/)]));
  });
});
