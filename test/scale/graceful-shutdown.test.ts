import { createServer, request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { drainServer } from '../../src/server.js';

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
