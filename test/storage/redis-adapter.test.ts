import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { UPSERT_ENTRY } from '../../src/storage/adapters/redis-adapter-scripts.js';
import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import type { RedisClient } from '../../src/storage/redis/connection.js';
import { scanKeys, startRedis } from '../support/redis-server.js';
import type { RedisHandle } from '../support/redis-server.js';
import { redisAdapterHarness } from './redis-adapter-harness.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract('redis', async () => {
  const server = await startRedis();
  const client = await server.connect();
  return redisAdapterHarness(client, server.keyPrefix, async () => {
    await client.quit();
    await server.stop();
  });
});

describe('redis adapter specifics', () => {
  let server: RedisHandle;
  let client: RedisClient;
  let inspector: RedisClient;
  let prefix: string;
  let runs = 0;

  beforeAll(async () => {
    server = await startRedis();
    client = await server.connect();
    inspector = await server.connect();
  });
  afterAll(async () => {
    await client.quit();
    inspector.disconnect();
    await server.stop();
  });
  beforeEach(() => {
    prefix = `${server.keyPrefix}s${(runs += 1)}:`;
  });

  async function keys(): Promise<string[]> {
    return scanKeys(inspector, `${prefix}*`);
  }

  /** The data nodes: every master of a Cluster (REDIS_URL may name one), else the one server. */
  function masters(): Redis[] {
    return inspector instanceof Cluster ? inspector.nodes('master') : [inspector];
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
    // Absolute expiry times (PEXPIRETIME), not two PTTLs read one after the other: the set ends exactly with its longest member.
    const expiresAt = async (key: string) => Number(await inspector.call('PEXPIRETIME', `${prefix}${key}`));
    const membersExpiry = await expiresAt('{grant:G1}:members');
    expect(membersExpiry).toBeGreaterThan(await expiresAt('{grant:G1}:AccessToken:at'));
    expect(membersExpiry).toBe(await expiresAt('{grant:G1}:RefreshToken:rt'));
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

  test('a user code reissued by another instance is found here, though this instance remembers its old device code', async () => {
    const a = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const b = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    await a('DeviceCode').upsert('d1', { jti: 'd1', userCode: 'WDJB-MJHT' }, 600);
    expect(await b('DeviceCode').findByUserCode('WDJB-MJHT')).toMatchObject({ jti: 'd1' });
    await a('DeviceCode').destroy('d1');
    await a('DeviceCode').upsert('d2', { jti: 'd2', userCode: 'WDJB-MJHT' }, 600);
    expect(await b('DeviceCode').findByUserCode('WDJB-MJHT')).toMatchObject({ jti: 'd2' });
    await a('DeviceCode').destroy('d2');
    expect(await b('DeviceCode').findByUserCode('WDJB-MJHT')).toBeUndefined();
  });

  test('a device code approved by another instance between the location lookup and the read is still found', async () => {
    const a = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const b = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    await a('DeviceCode').upsert('d3', { jti: 'd3', userCode: 'ABCD-EFGH' }, 600);
    // B looks for the grant pointer (none yet); A approves before B reads the entry.
    const get = client.get.bind(client);
    const gets = jest.spyOn(client, 'get').mockImplementationOnce(async (key) => {
      const pointer = await get(key);
      await a('DeviceCode').upsert('d3', { jti: 'd3', userCode: 'ABCD-EFGH', grantId: 'G3' }, 600);
      return pointer;
    });
    try {
      expect(await b('DeviceCode').find('d3')).toMatchObject({ jti: 'd3', grantId: 'G3' });
    } finally {
      gets.mockRestore();
    }
  });

  test('only models approved later drop a pre-approval copy when stored in their grant', async () => {
    const here = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
    const dels = jest.spyOn(client, 'del');
    try {
      await here('AccessToken').upsert('at', { jti: 'at', grantId: 'G4' }, 600);
      expect(dels).not.toHaveBeenCalled();
      await here('DeviceCode').upsert('d4', { jti: 'd4', grantId: 'G4' }, 600);
      expect(dels.mock.calls).toEqual([[`${prefix}DeviceCode:d4`]]);
    } finally {
      dels.mockRestore();
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
    const callsOn = async (node: Redis) => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await node.info('commandstats'))?.[1] ?? 0);
    const evalshaCalls = async () => (await Promise.all(masters().map(callsOn))).reduce((sum, calls) => sum + calls, 0);
    const digest = createHash('sha1').update(UPSERT_ENTRY).digest('hex');
    const known = async () => (await Promise.all(masters().map((node) => node.script('EXISTS', digest)))).flat();
    await Promise.all(masters().map((node) => node.script('FLUSH')));
    expect(await known()).not.toContain(1);
    const before = await evalshaCalls();
    await adapters('Interaction').upsert('first', { jti: 'first' }, 60);
    expect(await known()).toContain(1);
    await adapters('Interaction').upsert('second', { jti: 'second' }, 60);
    expect((await evalshaCalls()) - before).toBeGreaterThanOrEqual(2);
    expect(await adapters('Interaction').find('first')).toEqual({ jti: 'first' });
    expect(await adapters('Interaction').find('second')).toEqual({ jti: 'second' });
  });

  test('rejects a key prefix that would break the hash tag', () => {
    expect(() => createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: 'oidc:{x}:' })).toThrow(TypeError);
  });
});
