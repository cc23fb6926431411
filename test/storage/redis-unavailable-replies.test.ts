import { ReplyError } from 'ioredis';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import { createRedisClient, type RedisClient } from '../../src/storage/redis/connection.js';
import { callRedis, isStorageUnavailableReply } from '../../src/storage/redis/redis-call.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import type { GrantMemberAdapter } from '../../src/oidc/spent-tokens.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';

const failWith = (message: string) => () => Promise.reject(new ReplyError(message));

describe('error replies that mean "storage unavailable" (503, retry later) and those that are bugs (500)', () => {
  test.each([
    'LOADING Redis is loading the dataset in memory',
    "READONLY You can't write against a read only replica.",
    'CLUSTERDOWN The cluster is down',
    'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.',
    'TRYAGAIN Multiple keys request during rehashing of slot',
    'BUSY Redis is busy running a script.',
    "OOM command not allowed when used memory > 'maxmemory'.",
    'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
    'NOREPLICAS Not enough good replicas to write.',
    'NOAUTH Authentication required.',
    'WRONGPASS invalid username-password pair or user is disabled.',
    "NOPERM this user has no permissions to run the 'getdel' command",
  ])('%s → StorageUnavailableError', async (reply) => {
    await expect(callRedis(failWith(reply))).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  test.each([
    'WRONGTYPE Operation against a key holding the wrong kind of value',
    "ERR wrong number of arguments for 'set' command",
    'ERR syntax error',
    'NOSCRIPT No matching script.',
    // A prefix is not enough: the code must be the whole first word.
    'OOMPH not a Redis reply',
  ])('%s → rethrown as it is', async (reply) => {
    const error = await callRedis(failWith(reply)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as Error).message).toBe(reply);
  });

  test('a MULTI aborted by a command refused while queueing counts as its cause', () => {
    const aborted = (cause: string) => Object.assign(new ReplyError('EXECABORT Transaction discarded because of previous errors.'), { previousErrors: [new ReplyError(cause)] });
    expect(isStorageUnavailableReply(aborted("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
    expect(isStorageUnavailableReply(aborted('ERR syntax error'))).toBe(false);
  });

  test('a non-reply error (connection closed, timeout) is always StorageUnavailableError', async () => {
    await expect(callRedis(() => Promise.reject(new Error('Connection is closed.')))).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});

describe('on a real redis-server out of memory', () => {
  let server: RedisHandle;
  let client: RedisClient;

  beforeAll(async () => {
    server = await spawnRedis();
    client = await createRedisClient(server.url);
    await client.config('SET', 'maxmemory-policy', 'noeviction');
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  test('writes, scripts and MULTI fail with StorageUnavailableError; reads still work; readiness is false', async () => {
    const store = new RedisStateStore(client, server.keyPrefix);
    await store.put('kept', { v: 1 }, 60);
    await client.config('SET', 'maxmemory', '1');
    try {
      await expect(store.put('k', { v: 2 }, 60)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.increment('n', 60)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.addToSet('s', 'm', 60)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(await store.get('kept')).toEqual({ v: 1 });
      expect(await store.ping()).toBe(false);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
    expect(await store.ping()).toBe(true);
    expect(await store.increment('n', 60)).toBe(1);
  });

  test('an adapter upsert is refused whole: nothing written, nothing deleted, StorageUnavailableError', async () => {
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: `${server.keyPrefix}oom:` });
    await adapters('Interaction').upsert('i1', { jti: 'i1', returnTo: 'before' }, 600);
    await adapters('AccessToken').upsert('at1', { jti: 'at1', grantId: 'G1' }, 600);
    await client.config('SET', 'maxmemory', '1');
    try {
      await expect(adapters('Interaction').upsert('i1', { jti: 'i1', returnTo: 'after' }, 600)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(adapters('Interaction').upsert('i2', { jti: 'i2' }, 600)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(adapters('AccessToken').upsert('at1', { jti: 'at1', grantId: 'G1', scope: 'changed' }, 600)).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
    expect(await adapters('Interaction').find('i1')).toEqual({ jti: 'i1', returnTo: 'before' });
    expect(await adapters('Interaction').find('i2')).toBeUndefined();
    expect(await adapters('AccessToken').find('at1')).toEqual({ jti: 'at1', grantId: 'G1' });
  });

  test('a refresh token spend refused for memory leaves the token findable: the retry spends it', async () => {
    const prefix = `${server.keyPrefix}oom-spend:`;
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const refreshTokens = adapters('RefreshToken') as GrantMemberAdapter;
    const token = { jti: 'rt1', grantId: 'G2', rotations: 0 };
    await refreshTokens.upsert('rt1', token, 600);
    await client.config('SET', 'maxmemory', '1');
    try {
      await expect(refreshTokens.spendRotated('G2', 'rt1', 0)).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
    // Found by this instance and by another one (which must read the grantOf pointer from Redis).
    const otherInstance = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    expect(await otherInstance('RefreshToken').find('rt1')).toEqual(token);
    expect(await refreshTokens.find('rt1')).toEqual(token);
    expect(await refreshTokens.findSpent('G2', 0)).toBeUndefined();
    await refreshTokens.spendRotated('G2', 'rt1', 0);
    expect(await refreshTokens.findSpent('G2', 0)).toMatchObject({ jti: 'rt1', consumed: expect.any(Number) });
    expect(await client.exists(`${prefix}grantOf:RefreshToken:rt1`)).toBe(0);
  });
});
