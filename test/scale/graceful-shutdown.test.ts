import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { authorizationUrl, discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { freePort } from '../../src/shared/free-port.js';
import { drainServer } from '../../src/server.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { seedEmbeddedDatabase } from '../support/pglite-template.js';
import { TestBrowser } from '../support/test-browser.js';
import { ensureBuiltEntryPoint } from './support/built-entry-point.js';
import { waitUntil } from './support/wait-until.js';

/** A server whose `/slow` answers only when the test releases it; `log` learns when it has answered. */
async function slowServer(log: string[] = []) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inFlight = new Promise<void>((resolve) => (entered = resolve));
  const server = createServer(async (req, res) => {
    if (req.url === '/slow') {
      entered();
      await released;
      // Server side: the client may see the end of the answer after the server has closed.
      res.once('finish', () => log.push('slow request answered'));
    }
    res.end(`done ${req.url}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, release, inFlight };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'keep-alive' } }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

test('shutdown lets the in-flight request finish, refuses new connections, then closes storage', async () => {
  const events: string[] = [];
  const { server, port, release, inFlight } = await slowServer(events);
  const slow = get(port, '/slow');
  await inFlight;

  const drained = drainServer(server, async () => {
    events.push('storage closed');
  });
  await expect(get(port, '/new')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  expect(events).toEqual([]);

  release();
  expect(await slow).toEqual({ status: 200, body: 'done /slow' });
  expect(await drained).toBe('drained');
  expect(events).toEqual(['slow request answered', 'storage closed']);
});

test('a request that outlives the drain limit is cut and storage is still closed', async () => {
  const { server, port, release, inFlight } = await slowServer();
  const slow = get(port, '/slow').catch((error: NodeJS.ErrnoException) => error.code);
  await inFlight;
  let storageClosed = false;
  expect(await drainServer(server, async () => {
    storageClosed = true;
  }, 50)).toBe('forced');
  expect(await slow).toBe('ECONNRESET');
  expect(storageClosed).toBe(true);
  release();
});

describe('the provider process (node dist/src/server.js) on SIGTERM', () => {
  const SHUTDOWN_DELAY_SECONDS = 2;
  let dir: string;
  let redis: RedisHandle;
  let provider: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cie-shutdown-'));
    redis = await spawnRedis();
    await ensureBuiltEntryPoint();
  }, 180_000);

  afterAll(async () => {
    if (provider && provider.exitCode === null) provider.kill('SIGKILL');
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('readyz turns 503, the in-flight request gets its normal answer and its write, new connections are refused, exit 0', async () => {
    const port = await freePort();
    const issuer = `http://localhost:${port}`;
    const rpOrigin = 'http://localhost:1';
    // Nothing listens there: the test browser stops at the redirect to the bridge.
    const bridgeUrl = 'http://127.0.0.1:9';
    const rpKeys = await loadRelyingPartyKeys(join(dir, 'rp.json'));
    const metadata = relyingPartyMetadata(rpOrigin, 'Shutdown test RP', rpKeys);
    await writeFile(join(dir, 'clients.json'), JSON.stringify([metadata]));
    // jest's --experimental-vm-modules is not for the provider.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    // The access registry from the template cluster (test/support/pglite-template.ts), not an initdb in the provider.
    await seedEmbeddedDatabase(join(dir, 'registry'));
    provider = spawn(process.execPath, [await ensureBuiltEntryPoint()], {
      env: {
        ...env,
        ISSUER: issuer,
        PORT: String(port),
        HOST: '127.0.0.1',
        KEYS_DIR: join(dir, 'keys'),
        CLIENTS_FILE: join(dir, 'clients.json'),
        BRIDGE_URL: bridgeUrl,
        CIE_TRUST_ANCHORS: '',
        CIE_INTERMEDIATES: '',
        REDIS_URL: redis.url,
        SHUTDOWN_DELAY: String(SHUTDOWN_DELAY_SECONDS),
        REGISTRY_DIR: join(dir, 'registry'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    provider.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    provider.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = once(provider, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // Ready needs the access registry open too: the embedded database takes seconds (more on a loaded machine).
    await waitUntil(async () => (await fetch(`${issuer}/readyz`)).status === 200, 60_000);

    // A login up to "Entra con CIE": the challenge the slow request below will cancel.
    const rp = await discoverProvider(issuer, metadata, rpKeys);
    const { url } = await authorizationUrl(rp, `${rpOrigin}/callback`, rpKeys, 'openid');
    const browser = new TestBrowser(bridgeUrl);
    const loginPage = await browser.get(url.href);
    const uid = /\/interaction\/([^/?]+)$/.exec(loginPage.url)![1]!;
    const toBridge = await browser.post(`${issuer}/interaction/${uid}/cie`, {}, issuer);
    const challenge = new URL(toBridge.url).searchParams.get('challenge')!;
    expect(challenge).toBeTruthy();

    // The bridge's cancellation, posted slowly: in flight across SIGTERM, it stores a completion ticket.
    const body = new URLSearchParams({ error: 'cancelled', challenge }).toString();
    const slow = slowPost(port, '/cie/assertion', body);
    await slow.headersSent;

    provider.kill('SIGTERM');
    await waitUntil(async () => (await fetch(`${issuer}/readyz`)).status === 503, 5_000);
    expect((await fetch(`${issuer}/healthz`)).status).toBe(200);
    // After SHUTDOWN_DELAY the listener closes.
    await waitUntil(() => connectionRefused(port), 10_000);

    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(new RegExp(`^/interaction/${uid}/cie/complete\\?ticket=[\\w-]+$`));
    const ticket = new URL(answer.location!, issuer).searchParams.get('ticket')!;

    expect(await exited).toEqual([0, null]);
    expect(output.join('')).toMatch(/SIGTERM: not ready; draining requests in 2 s/);
    // No lost state: the in-flight request's write is in Redis; the connection was dropped without QUIT.
    const inspector = new Redis(redis.url);
    try {
      expect(await inspector.keys(`state:ticket:*:${ticket}`)).toHaveLength(1);
      // A cancel only stores the ticket: the challenge ends when the interaction's own browser redeems it.
      expect(await inspector.exists(`state:challenge:${challenge}`)).toBe(1);
      expect(await inspector.info('commandstats')).not.toMatch(/cmdstat_quit:/);
    } finally {
      inspector.disconnect();
    }
  }, 120_000);
});

/** A form POST whose headers and first half of the body go out now, the rest on `finish()`. */
function slowPost(port: number, path: string, body: string) {
  const half = Math.floor(body.length / 2);
  const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } });
  const response = new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    req.once('response', (res: IncomingMessage) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.once('error', reject);
  });
  req.flushHeaders();
  req.write(body.slice(0, half));
  const headersSent = new Promise<void>((resolve) => req.once('socket', (socket) => socket.once('connect', () => setTimeout(resolve, 200))));
  return { headersSent, response, finish: () => req.end(body.slice(half)) };
}

async function connectionRefused(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED',
  );
}
