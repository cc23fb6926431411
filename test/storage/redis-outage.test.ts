import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import { createRedisClient } from '../../src/storage/redis/connection.js';
import type { RedisClient } from '../../src/storage/redis/connection.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { spawnRedis } from '../support/redis-server.js';
import type { RedisHandle } from '../support/redis-server.js';
import { eventually } from './eventually.js';

// Generous bound that only separates "fails fast" from "hangs until the jest timeout".
const NOT_A_HANG_MS = 5_000;

async function failureWithin<T>(promise: Promise<T>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), NOT_A_HANG_MS);
  });
  try {
    const outcome = await Promise.race([promise.then(() => 'resolved'), hang]);
    throw new Error(`expected a rejection, got: ${outcome}`);
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

describe('Redis outage', () => {
  let server: RedisHandle;
  let client: RedisClient;

  beforeAll(async () => {
    server = await spawnRedis();
    client = await createRedisClient(server.url, { timeoutMs: 500, onError: () => {} });
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  test('killed → every adapter and store call fails fast with StorageUnavailableError; restarted → works again', async () => {
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: server.keyPrefix });
    const store = new RedisStateStore(client, server.keyPrefix);
    await adapters('Session').upsert('s', { jti: 's', uid: 'u' }, 60);
    await store.putIfAbsent('k', { v: 1 }, 60);

    await server.kill();

    const calls: Array<() => Promise<unknown>> = [
      () => adapters('Session').find('s'),
      () => adapters('Session').findByUid('u'),
      // Another process: no remembered pointer, so the uid index itself is read.
      () => createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: server.keyPrefix })('Session').findByUid('u'),
      () => adapters('Session').upsert('s2', { jti: 's2' }, 60),
      () => adapters('AuthorizationCode').consume('c'),
      () => adapters('AccessToken').destroy('t'),
      () => adapters('AccessToken').revokeByGrantId('g'),
      () => adapters('DeviceCode').findByUserCode('ABCD'),
      () => store.get('k'),
      () => store.take('k'),
      () => store.putIfAbsent('k2', { v: 2 }, 60),
      () => store.increment('n', 60),
      () => store.delete('k'),
    ];
    for (const call of calls) {
      const error = await failureWithin(call());
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ code: 'storage_unavailable' });
    }
    expect(await store.ping()).toBe(false);

    await server.restart();
    await eventually(() => store.ping());
    // The restarted server is empty (no persistence); writes and reads work again on the same client.
    await adapters('Session').upsert('s', { jti: 's', uid: 'u' }, 60);
    expect(await adapters('Session').findByUid('u')).toMatchObject({ jti: 's' });
    expect(await store.putIfAbsent('k', { v: 3 }, 60)).toBe(true);
  });

  test('connecting to a Redis that is down rejects with StorageUnavailableError', async () => {
    const down = await spawnRedis();
    await down.stop();
    const error = await failureWithin(createRedisClient(down.url, { timeoutMs: 500, onError: () => {} }));
    expect(error).toBeInstanceOf(StorageUnavailableError);
  });
});
