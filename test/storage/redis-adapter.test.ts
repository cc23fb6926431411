import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { UPSERT_ENTRY } from '../../src/oidc/adapters/redis-adapter-scripts.js';
import { Redis } from 'ioredis';
import { createRedisAdapterFactory } from '../../src/oidc/adapters/redis-adapter.js';
import { createRedisClient } from '../../src/oidc/redis/connection.js';
import type { RedisClient } from '../../src/oidc/redis/connection.js';
import { startRedis } from '../support/redis-server.js';
import type { RedisHandle } from '../support/redis-server.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract('redis', async () => {
  const server = await startRedis();
  const client = await createRedisClient(server.url);
  let factories = 0;
  return {
    create: (options) => createRedisAdapterFactory(client, { ...options, keyPrefix: `${server.keyPrefix}${(factories += 1)}:` }),
    close: async () => {
      await client.quit();
      await server.stop();
    },
  };
});

describe('redis adapter specifics', () => {
  let server: RedisHandle;
  let client: RedisClient;
  let inspector: Redis;
  let prefix: string;
  let runs = 0;

  beforeAll(async () => {
    server = await startRedis();
    client = await createRedisClient(server.url);
    inspector = new Redis(server.url);
  });
  afterAll(async () => {
    await client.quit();
    await inspector.quit();
    await server.stop();
  });
  beforeEach(() => {
    prefix = `${server.keyPrefix}s${(runs += 1)}:`;
  });

  async function keys(): Promise<string[]> {
    return (await inspector.keys(`${prefix}*`)).sort();
  }

  test('TTL is expiresIn + clockTolerance; no expiresIn means no TTL', async () => {
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 30, keyPrefix: prefix });
    await adapters('Interaction').upsert('i', { jti: 'i' }, 60);
    await adapters('Grant').upsert('g', { jti: 'g' });
    const ttl = await inspector.pttl(`${prefix}Interaction:i`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    expect(await inspector.pttl(`${prefix}Grant:g`)).toBe(-1);
  });

  test('grant-bound tokens live under the grant hash tag; the member set outlives its longest member', async () => {
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    await adapters('AccessToken').upsert('at', { jti: 'at', grantId: 'G1' }, 60);
    await adapters('RefreshToken').upsert('rt', { jti: 'rt', grantId: 'G1' }, 600);
    expect(await keys()).toEqual([
      `${prefix}grantOf:AccessToken:at`,
      `${prefix}grantOf:RefreshToken:rt`,
      `${prefix}{grant:G1}:AccessToken:at`,
      `${prefix}{grant:G1}:RefreshToken:rt`,
      `${prefix}{grant:G1}:members`,
    ]);
    const membersTtl = await inspector.pttl(`${prefix}{grant:G1}:members`);
    expect(membersTtl).toBeGreaterThan(await inspector.pttl(`${prefix}{grant:G1}:AccessToken:at`));
    expect(membersTtl).toBeGreaterThanOrEqual(await inspector.pttl(`${prefix}{grant:G1}:RefreshToken:rt`));
    await adapters('AccessToken').revokeByGrantId('G1');
    expect(await keys()).toEqual([`${prefix}grantOf:AccessToken:at`, `${prefix}grantOf:RefreshToken:rt`]);
  });

  test('a token this process stored is found without the grantOf lookup; another process looks it up', async () => {
    const here = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    await here('RefreshToken').upsert('rt', { jti: 'rt', grantId: 'G1' }, 600);
    const gets = jest.spyOn(client, 'get');
    try {
      expect(await here('RefreshToken').find('rt')).toMatchObject({ grantId: 'G1' });
      await here('RefreshToken').consume('rt');
      expect(gets).not.toHaveBeenCalled();
      const elsewhere = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
      expect(await elsewhere('RefreshToken').find('rt')).toMatchObject({ grantId: 'G1', consumed: expect.any(Number) });
      expect(gets.mock.calls).toEqual([[`${prefix}grantOf:RefreshToken:rt`]]);
      // A remembered location of a revoked grant leads nowhere.
      await here('RefreshToken').revokeByGrantId('G1');
      expect(await here('RefreshToken').find('rt')).toBeUndefined();
    } finally {
      gets.mockRestore();
    }
  });

  test('a session this process stored is found by uid without the index lookup; after a rotation the new one is found, here and elsewhere', async () => {
    const here = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const elsewhere = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    await here('Session').upsert('s1', { jti: 's1', uid: 'u1', accountId: 'a' }, 600);
    const gets = jest.spyOn(client, 'get');
    try {
      expect(await here('Session').findByUid('u1')).toMatchObject({ jti: 's1' });
      expect(gets).not.toHaveBeenCalled();
      expect(await elsewhere('Session').findByUid('u1')).toMatchObject({ jti: 's1' });
      expect(gets.mock.calls).toEqual([[`${prefix}sessionUid:u1`]]);
      // oidc-provider rotates a session id by destroying the old entry and saving the new one.
      await here('Session').destroy('s1');
      await here('Session').upsert('s2', { jti: 's2', uid: 'u1', accountId: 'a' }, 600);
      expect(await here('Session').findByUid('u1')).toMatchObject({ jti: 's2' });
      expect(await elsewhere('Session').findByUid('u1')).toMatchObject({ jti: 's2' });
    } finally {
      gets.mockRestore();
    }
  });

  test('consume on a missing key leaves no key behind (no TTL-less leak)', async () => {
    const codes = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix })('AuthorizationCode');
    await expect(codes.consume('missing')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await keys()).toEqual([]);
  });

  test('consume keeps the entry\'s TTL', async () => {
    const codes = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix })('AuthorizationCode');
    await codes.upsert('c', { jti: 'c' }, 60);
    await codes.consume('c');
    expect(await inspector.pttl(`${prefix}AuthorizationCode:c`)).toBeGreaterThan(0);
  });

  test('destroying a Session removes its uid index but not a newer session\'s', async () => {
    const sessions = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix })('Session');
    await sessions.upsert('old', { jti: 'old', uid: 'shared' }, 60);
    await sessions.upsert('new', { jti: 'new', uid: 'shared' }, 60);
    await sessions.destroy('old');
    expect(await sessions.findByUid('shared')).toMatchObject({ jti: 'new' });
    await sessions.destroy('new');
    expect(await keys()).toEqual([]);
  });

  test('scripts go by their SHA1 and are sent again when Redis has forgotten them (restart, SCRIPT FLUSH)', async () => {
    const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const evalshaCalls = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await inspector.info('commandstats'))?.[1] ?? 0);
    await inspector.script('FLUSH');
    const digest = createHash('sha1').update(UPSERT_ENTRY).digest('hex');
    expect(await inspector.script('EXISTS', digest)).toEqual([0]);
    const before = await evalshaCalls();
    await adapters('Interaction').upsert('first', { jti: 'first' }, 60);
    expect(await inspector.script('EXISTS', digest)).toEqual([1]);
    await adapters('Interaction').upsert('second', { jti: 'second' }, 60);
    expect((await evalshaCalls()) - before).toBeGreaterThanOrEqual(2);
    expect(await adapters('Interaction').find('first')).toEqual({ jti: 'first' });
    expect(await adapters('Interaction').find('second')).toEqual({ jti: 'second' });
  });

  test('rejects a key prefix that would break the hash tag', () => {
    expect(() => createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: 'oidc:{x}:' })).toThrow(TypeError);
  });
});
