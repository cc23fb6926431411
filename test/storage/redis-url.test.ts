import { parseMultiHostRedisUrl } from '../../src/oidc/redis/redis-url.js';
import { createRedisClient } from '../../src/oidc/redis/connection.js';

describe('multi-host Redis URLs', () => {
  test('Sentinel: hosts, master name and credentials', () => {
    expect(parseMultiHostRedisUrl('redis-sentinel://:p%40ss@s1:26379,10.0.0.2:26380,[::1]:26381/mymaster')).toEqual({
      kind: 'sentinel',
      username: undefined,
      password: 'p@ss',
      hosts: [
        { host: 's1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      masterName: 'mymaster',
    });
  });

  test('Cluster: seed nodes and user + password', () => {
    expect(parseMultiHostRedisUrl('redis-cluster://app:secret@n1:7000,n2:7001')).toEqual({
      kind: 'cluster',
      username: 'app',
      password: 'secret',
      hosts: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      masterName: undefined,
    });
  });

  test('other schemes are not multi-host URLs', () => {
    expect(parseMultiHostRedisUrl('redis://localhost:6379/0')).toBeUndefined();
  });

  test.each([
    ['redis-sentinel://s1:26379', 'master name'],
    ['redis-sentinel://s1/mymaster', 'host:port'],
    ['redis-cluster://n1:7000,n2/', 'host:port'],
    ['redis-cluster://n1:7000/extra', 'no path'],
  ])('rejects %s', (url, reason) => {
    expect(() => parseMultiHostRedisUrl(url)).toThrow(expect.objectContaining({ code: 'invalid_redis_url', message: expect.stringContaining(reason) }));
  });

  test('createRedisClient rejects an unknown scheme without connecting', async () => {
    await expect(createRedisClient('memcached://localhost:11211')).rejects.toMatchObject({ code: 'invalid_redis_url' });
  });
});
