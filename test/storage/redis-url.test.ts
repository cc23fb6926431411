import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTlsRedisUrl, parseMultiHostRedisUrl } from '../../src/storage/redis/redis-url.js';
import { createRedisClient } from '../../src/storage/redis/connection.js';
import { loadProviderConfig } from '../../src/config/config.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { createTlsTestPki, type TlsTestPki } from './tls-test-pki.js';

describe('multi-host Redis URLs', () => {
  test('Sentinel: hosts, master name and credentials', () => {
    expect(parseMultiHostRedisUrl('redis-sentinel://:p%40ss@s1:26379,10.0.0.2:26380,[::1]:26381/mymaster')).toEqual({
      kind: 'sentinel',
      tls: false,
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
      tls: false,
      username: 'app',
      password: 'secret',
      hosts: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      masterName: undefined,
    });
  });

  test('the rediss- forms are the same URLs over TLS', () => {
    expect(parseMultiHostRedisUrl('rediss-sentinel://s1:26379/mymaster')).toMatchObject({ kind: 'sentinel', tls: true, masterName: 'mymaster' });
    expect(parseMultiHostRedisUrl('rediss-cluster://n1:7000')).toMatchObject({ kind: 'cluster', tls: true, hosts: [{ host: 'n1', port: 7000 }] });
  });

  test.each([
    ['rediss://h:6380', true],
    ['rediss-sentinel://s1:26379/m', true],
    ['rediss-cluster://n1:7000', true],
    ['redis://h:6379', false],
    ['redis-sentinel://s1:26379/m', false],
    ['redis-cluster://n1:7000', false],
  ])('%s uses TLS: %s', (url, tls) => {
    expect(isTlsRedisUrl(url)).toBe(tls);
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

// All of these fail before any connection is attempted: nothing listens on the ports used.
describe('Redis TLS settings are checked at start-up', () => {
  let pki: TlsTestPki;
  let dir: string;

  beforeAll(async () => {
    pki = await createTlsTestPki();
    dir = await mkdtemp(join(tmpdir(), 'redis-tls-settings-'));
  });
  afterAll(async () => {
    await pki.remove();
    await rm(dir, { recursive: true, force: true });
  });

  const invalid = (reason: RegExp) => expect.objectContaining({ code: 'invalid_redis_tls', message: expect.stringMatching(reason) });

  test.each(['redis://127.0.0.1:1', 'redis-sentinel://127.0.0.1:1/m', 'redis-cluster://127.0.0.1:1'])('a CA file with the plain URL %s', async (url) => {
    await expect(createRedisClient(url, { tls: { caFile: pki.caFile } })).rejects.toEqual(invalid(/does not use TLS/));
  });

  test('the provider storage refuses REDIS_TLS_* with a plain REDIS_URL', async () => {
    const config = loadProviderConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TLS_CA: pki.caFile });
    await expect(createStorage(config)).rejects.toEqual(invalid(/does not use TLS/));
  });

  test('an unreadable CA file names the file', async () => {
    const missing = join(dir, 'missing.pem');
    await expect(createRedisClient('rediss://127.0.0.1:1', { tls: { caFile: missing } })).rejects.toEqual(invalid(new RegExp(`cannot read the CA file ${missing}`)));
  });

  test('a CA file without a certificate', async () => {
    await expect(createRedisClient('rediss-cluster://127.0.0.1:1', { tls: { caFile: pki.client.keyFile } })).rejects.toEqual(invalid(/holds no PEM certificate/));
  });

  test('a CA file with a damaged certificate', async () => {
    const damaged = join(dir, 'damaged.pem');
    await writeFile(damaged, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(createRedisClient('rediss://127.0.0.1:1', { tls: { caFile: damaged } })).rejects.toEqual(invalid(/cannot be parsed/));
  });

  test('a client certificate without its key', async () => {
    await expect(createRedisClient('rediss-sentinel://127.0.0.1:1/m', { tls: { certFile: pki.client.certFile } })).rejects.toEqual(invalid(/go together/));
  });

  test('a client key that does not belong to the certificate', async () => {
    const tls = { certFile: pki.client.certFile, keyFile: pki.server.keyFile };
    await expect(createRedisClient('rediss://127.0.0.1:1', { tls })).rejects.toEqual(invalid(/not usable/));
  });
});
