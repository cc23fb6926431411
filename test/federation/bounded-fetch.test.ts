import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundedFetcher, fetchableUrl } from '../../src/federation/bounded-fetch.js';
import { providerFederationFetcher } from '../../src/federation/op/federation-op.js';
import type { ProviderConfig } from '../../src/config/config.js';
import { closeNow, listen } from '../../src/shared/http-server.js';

const STATEMENT = 'application/entity-statement+jwt';
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code ?? String(error));

/** One real server on 127.0.0.1; each test sets `handler`. */
let server: Server;
let base: string;
let handler: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => handler(request, response));
  await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeNow(server));

describe('bounded federation fetch', () => {
  test('answers the body of an expected media type over plain http to a loopback host', async () => {
    handler = (_request, response) => response.writeHead(200, { 'content-type': `${STATEMENT}; charset=utf-8` }).end('a.b.c');
    await expect(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/x`, { accept: STATEMENT })).resolves.toEqual({ contentType: STATEMENT, body: 'a.b.c' });
  });

  test('POSTs a form, urlencoded', async () => {
    let received = '';
    handler = (request, response) => {
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (received += chunk));
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: request.headers['content-type'], method: request.method })));
    };
    const answer = await boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/status`, { accept: 'application/trust-mark-status-response+jwt, application/json', method: 'POST', form: { sub: 'https://rp.example', id: 'x y' } });
    expect(JSON.parse(answer.body)).toEqual({ type: 'application/x-www-form-urlencoded', method: 'POST' });
    expect(received).toBe('sub=https%3A%2F%2Frp.example&id=x+y');
  });

  test('a slow statement (a server that never answers) → fetch_timeout, within the bound', async () => {
    let closed!: Promise<void>;
    handler = (request) => {
      closed = new Promise((resolve) => request.socket.once('close', () => resolve()));
    };
    expect(await codeOf(boundedFetcher({ timeoutMs: 300, maxBytes: 1024 })(`${base}/slow`, { accept: STATEMENT }))).toBe('fetch_timeout');
    await closed; // the connection was dropped, not left hanging
  });

  test('a statement whose body never ends → fetch_timeout (the limit covers the body, not only the headers)', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': STATEMENT });
      response.write('eyJ');
    };
    expect(await codeOf(boundedFetcher({ timeoutMs: 300, maxBytes: 1024 })(`${base}/dribble`, { accept: STATEMENT }))).toBe('fetch_timeout');
  });

  test('an oversized statement (a server streaming without end) → fetch_too_large without reading it all', async () => {
    let written = 0;
    let stopped!: Promise<void>;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': STATEMENT });
      const chunk = Buffer.alloc(16 * 1024, 'A');
      const pump = setInterval(() => {
        written += chunk.length;
        response.write(chunk);
      }, 1);
      stopped = new Promise((resolve) => response.once('close', () => {
        clearInterval(pump);
        resolve();
      }));
    };
    expect(await codeOf(boundedFetcher({ timeoutMs: 10_000, maxBytes: 64 * 1024 })(`${base}/huge`, { accept: STATEMENT }))).toBe('fetch_too_large');
    await stopped; // the client hung up: the stream (endless) was not read to its end
    expect(written).toBeGreaterThan(64 * 1024);
  });

  test('a declared Content-Length above the limit → fetch_too_large before reading', async () => {
    handler = (_request, response) => response.writeHead(200, { 'content-type': STATEMENT, 'content-length': String(10 * 1024 * 1024) }).write('x');
    expect(await codeOf(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/declared`, { accept: STATEMENT }))).toBe('fetch_too_large');
  });

  test('another media type than the expected one → fetch_bad_content_type', async () => {
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    expect(await codeOf(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/html`, { accept: STATEMENT }))).toBe('fetch_bad_content_type');
  });

  test('an HTTP error → fetch_failed with its status', async () => {
    handler = (_request, response) => response.writeHead(404, { 'content-type': STATEMENT }).end();
    await expect(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/missing`, { accept: STATEMENT })).rejects.toMatchObject({ code: 'fetch_failed', details: { status: 404 } });
  });

  test('a redirect is not followed → fetch_failed', async () => {
    handler = (_request, response) => response.writeHead(302, { location: 'http://example.com/' }).end();
    expect(await codeOf(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })(`${base}/moved`, { accept: STATEMENT }))).toBe('fetch_failed');
  });

  test('plain http to a non-loopback host → fetch_insecure_url, nothing sent', async () => {
    expect(await codeOf(boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 })('http://rp.example/.well-known/openid-federation', { accept: STATEMENT }))).toBe('fetch_insecure_url');
  });

  test('a provider on a public name fetches nothing on a loopback host or a private address literal, whatever URL a statement names (nothing sent); on loopback itself it does', async () => {
    let requests = 0;
    handler = (_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': STATEMENT }).end('a.b.c');
    };
    const federation = { fetchTimeoutMs: 2000, fetchMaxBytes: 1024 } as ProviderConfig['federation'];
    const publicProvider = providerFederationFetcher({ issuer: 'https://op.example', federation } as ProviderConfig);
    for (const url of [`${base}/.well-known/openid-federation`, `http://localhost:${new URL(base).port}/fetch?sub=x`, `https://127.0.0.1:${new URL(base).port}/x`, 'http://[::1]:1/x']) {
      expect(await codeOf(publicProvider(url, { accept: STATEMENT }))).toBe('fetch_insecure_url');
    }
    // Nor private, link-local (cloud metadata) or mapped address literals, however written.
    for (const url of ['https://10.1.2.3/x', 'https://169.254.169.254/latest/meta-data', 'https://192.168.0.1/x', 'https://172.20.0.1/x', 'https://0.0.0.0:1/x', 'https://[fd00::1]/x', 'https://[fe80::1]/x', 'https://[::ffff:127.0.0.1]/x', 'https://[::]/x', 'https://2130706433/x', 'https://0x7f.1/x']) {
      expect(await codeOf(publicProvider(url, { accept: STATEMENT }))).toBe('fetch_insecure_url');
    }
    expect(requests).toBe(0);
    const localProvider = providerFederationFetcher({ issuer: 'http://localhost:3000', federation } as ProviderConfig);
    await expect(localProvider(`${base}/x`, { accept: STATEMENT })).resolves.toMatchObject({ body: 'a.b.c' });
    expect(requests).toBe(1);
  });

  test.each([
    ['https://rp.example/x', true],
    ['http://localhost:8080/x', true],
    ['http://127.0.0.2/x', true],
    ['http://[::1]:3000/x', true],
    ['http://10.0.0.1/x', false],
    ['http://localhost.evil.example/x', false],
    ['ftp://rp.example/x', false],
    ['https://user:secret@rp.example/x', false],
    ['not a url', false],
  ])('%s fetchable: %s', (url, allowed) => {
    if (allowed) expect(fetchableUrl(url).href).toBe(new URL(url).href);
    else expect(() => fetchableUrl(url)).toThrow(expect.objectContaining({ code: 'fetch_insecure_url' }));
  });
});
