import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openRedisClient } from '../../src/storage/redis/connection.js';
import { RedisTlsError } from '../../src/storage/redis/redis-tls.js';
import { InvalidRedisUrlError } from '../../src/storage/redis/redis-url.js';
import { freePort } from '../../src/shared/free-port.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { createTlsTestPki, type TlsTestPki } from '../storage/tls-test-pki.js';
import { ensureBuiltEntryPoint } from './support/built-entry-point.js';

// Redis merely away at start is an outage (the provider starts); a wrong setting is not: it stops the start.
const quietly = { timeoutMs: 500, onError: () => {} };

test.each(['redis://127.0.0.1:notaport', 'redis://127.0.0.1:6379/zero', 'rediss://:secret@/0'])('a malformed URL (%s) is refused before connecting', async (url) => {
  await expect(openRedisClient(url, quietly)).rejects.toBeInstanceOf(InvalidRedisUrlError);
});

test('a Redis nobody answers for is no error at start: the client is handed out, and why it is unreachable', async () => {
  const port = await freePort();
  const { client, unreachable } = await openRedisClient(`redis://127.0.0.1:${port}`, quietly);
  try {
    expect(unreachable).toMatchObject({ code: 'storage_unavailable', message: expect.stringContaining('ECONNREFUSED') });
    // Never reached: a command fails at once instead of waiting in a queue.
    const startedAt = Date.now();
    await expect(client.get('k')).rejects.toThrow();
    // (A queued command would wait for the 500 ms command timeout, or for ever.)
    expect(Date.now() - startedAt).toBeLessThan(400);
  } finally {
    client.disconnect();
  }
});

describe('TLS', () => {
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

  test('a server certificate the configured CA does not vouch for stops the start, naming the TLS error', async () => {
    const error = await openRedisClient(server.url, { ...quietly, tls: { caFile: otherPki.caFile, ...pki.client } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisTlsError);
    expect((error as Error).message).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: .*certificate/);
  });

  test('a TLS server nobody answers for yet is an outage, not an error', async () => {
    const { client, unreachable } = await openRedisClient(`rediss://127.0.0.1:${await freePort()}`, { ...quietly, tls: { caFile: pki.caFile, ...pki.client } });
    client.disconnect();
    expect(unreachable).toMatchObject({ code: 'storage_unavailable' });
  });
});

test('the provider process exits 1 with the reason when a setting is wrong', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: 'redis://127.0.0.1:notaport', PORT: String(await freePort()), HOST: '127.0.0.1', CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '' };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [await ensureBuiltEntryPoint()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The reason is a JSON log line (level error) on stdout, as every line of the provider's log.
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(output).toContain('provider failed to start: invalid Redis URL');
}, 180_000);
