import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeNow, KEEP_ALIVE_TIMEOUT_MS, listen } from '../../src/shared/http-server.js';

// A server that closes idle keep-alive connections after Node's 5 s races with clients that reuse them
// after about 4 s (undici): under load the reused socket is already closing and the request fails with
// ECONNRESET (seen in CI on the demo's provider). Every server we start announces a longer idle time.
test('a server started with listen() keeps idle connections longer than common clients and load balancers do, and says so', async () => {
  const server = createServer((_request, response) => response.end('ok'));
  await listen(server, 0, '127.0.0.1');
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    await answer.text();
    expect(answer.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  } finally {
    await closeNow(server);
  }
});
