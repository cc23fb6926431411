import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BreachedPasswords, openBreachedPasswords, RANGE_API_MAX_BYTES } from '../../src/credentials/breached-passwords.js';
import { BreachedPasswordsRangeApi, rangeApiBase } from '../../src/credentials/breached-passwords-range-api.js';
import { breachedPasswordChecks } from '../../src/observability/metrics.js';
import { captureLogs } from '../support/captured-logs.js';

// The k-anonymity range API (src/credentials/breached-passwords-range-api.ts) against a local range
// server on 127.0.0.1: padding, hits, misses, case, the prefix alone sent, and every way it can fail
// (slow, oversized, 500, malformed, closed) answered by the decided behaviour: fail open.

const PASSWORD = 'Girasole2024x';
const HASH = createHash('sha1').update(PASSWORD).digest('hex').toUpperCase();
const PREFIX = HASH.slice(0, 5);
const SUFFIX = HASH.slice(5);

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];

// A server of its own for each test: the client's connection pool is per origin, so a connection a
// test left held (the slow cases) is never reused by the next.
beforeEach(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  received.length = 0;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A padded answer as the public API gives: hundreds of suffixes, padding lines with count 0, in random order of case. */
function paddedAnswer(extra: string[] = [], lines = 800): string {
  const body = Array.from({ length: lines }, (_, i) => `${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:${i % 3 === 0 ? 0 : i + 1}`);
  return [...body, ...extra].sort().join('\r\n');
}

function answerWith(text: string): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(text);
  };
}

const api = (timeoutMs = 10_000) => new BreachedPasswordsRangeApi({ baseUrl: base, timeoutMs, maxBytes: RANGE_API_MAX_BYTES });
const unavailableCount = async () => (await breachedPasswordChecks.get()).values.find((value) => value.labels.source === 'range_api' && value.labels.outcome === 'unavailable')?.value ?? 0;

test('a hit among padding: its count; only the 5-digit prefix left the provider, with Add-Padding', async () => {
  handler = answerWith(paddedAnswer([`${SUFFIX}:4321`]));
  expect(await api().count(HASH)).toBe(4321);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ method: 'GET', url: `/range/${PREFIX}`, body: '' });
  expect(received[0]!.headers['add-padding']).toBe('true');
  const everything = JSON.stringify(received);
  for (const secret of [PASSWORD, HASH, SUFFIX, SUFFIX.slice(0, 10), HASH.toLowerCase()]) expect(everything).not.toContain(secret);
});

test('an answer of a bucket of today’s list (2,000 suffixes, about 80 KB, past the 64 KiB once assumed) is read whole: a hit on its last line counts', async () => {
  const answer = paddedAnswer([], 2000).concat(`\r\n${SUFFIX}:7\r\n`);
  expect(answer.length).toBeGreaterThan(64 * 1024);
  handler = answerWith(answer);
  expect(await api().count(HASH)).toBe(7);
});

test('a suffix answered in lower case is the same hash', async () => {
  handler = answerWith(paddedAnswer([`${SUFFIX.toLowerCase()}:12`]));
  expect(await api().count(HASH)).toBe(12);
});

test('a miss: the suffix is not in the answer', async () => {
  handler = answerWith(paddedAnswer());
  expect(await api().count(HASH)).toBe(0);
});

test('a padding entry (count 0) for the same suffix is not a hit', async () => {
  handler = answerWith(paddedAnswer([`${SUFFIX}:0`]));
  expect(await api().count(HASH)).toBe(0);
  const check = await openBreachedPasswords({ file: '', api: base, apiTimeoutMs: 10_000 });
  expect(await check.isBreached(PASSWORD)).toBe(false);
});

test('through the check: a known password is breached, another is not (its own prefix asked)', async () => {
  handler = answerWith(paddedAnswer([`${SUFFIX}:3`]));
  const check = await openBreachedPasswords({ file: '', api: base, apiTimeoutMs: 10_000 });
  expect(check.enabled).toBe(true);
  expect(await check.isBreached(PASSWORD)).toBe(true);
  expect(await check.isBreached('Tulipano2025z')).toBe(false);
  expect(received.map((request) => request.url)).toEqual([`/range/${PREFIX}`, `/range/${createHash('sha1').update('Tulipano2025z').digest('hex').toUpperCase().slice(0, 5)}`]);
});

test('a base URL with a path (a proxy) keeps it', async () => {
  handler = answerWith(paddedAnswer([`${SUFFIX}:5`]));
  const proxied = new BreachedPasswordsRangeApi({ baseUrl: `${base}/pwned`, timeoutMs: 10_000, maxBytes: RANGE_API_MAX_BYTES });
  expect(await proxied.count(HASH)).toBe(5);
  expect(received[0]!.url).toBe(`/pwned/range/${PREFIX}`);
});

describe('an API that cannot answer: the client refuses, the check fails open (accepted, a warn line, the metric)', () => {
  const holdForever: Handler = () => undefined;
  const trickle: Handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write(`${SUFFIX.slice(0, 10)}`);
  };
  const oversizedDeclared: Handler = answerWith(paddedAnswer([], 8000));
  const oversizedChunked: Handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    for (let i = 0; i < 160; i += 1) response.write(paddedAnswer([], 50) + '\r\n');
    response.end();
  };
  const serverError: Handler = (_request, response) => {
    response.writeHead(500);
    response.end('oops');
  };
  const malformed: Handler = answerWith('<html>maintenance</html>');
  const redirect: Handler = (_request, response) => {
    response.writeHead(302, { location: 'https://example.invalid/range/00000' });
    response.end();
  };

  // The timeout is short only where it is the point; elsewhere generous, so a loaded machine cannot turn the case into a timeout.
  test.each([
    ['no answer at all', holdForever, 'timeout', 300],
    ['headers, then a body that never ends', trickle, 'timeout', 300],
    ['an answer over the bound (declared)', oversizedDeclared, 'too_large', 10_000],
    ['an answer over the bound (chunked)', oversizedChunked, 'too_large', 10_000],
    ['HTTP 500', serverError, 'status', 10_000],
    ['not SUFFIX:COUNT lines', malformed, 'malformed', 10_000],
    ['a redirect', redirect, 'network', 10_000],
  ])('%s', async (_name, serve, reason, timeoutMs) => {
    handler = serve;
    expect(paddedAnswer([], 8000).length).toBeGreaterThan(RANGE_API_MAX_BYTES);
    expect(160 * paddedAnswer([], 50).length).toBeGreaterThan(RANGE_API_MAX_BYTES);
    await expect(api(timeoutMs).count(HASH)).rejects.toMatchObject({ code: 'breached_passwords_unavailable', details: { reason } });

    const before = await unavailableCount();
    const logs = captureLogs('warn');
    try {
      const check = new BreachedPasswords([{ name: 'range_api', count: (sha1) => api(timeoutMs).count(sha1) }], 30_000);
      expect(await check.isBreached(PASSWORD)).toBe(false);
    } finally {
      logs.restore();
    }
    expect(await unavailableCount()).toBe(before + 1);
    const line = logs.lines.find((entry) => entry.event === 'breached_password_check_unavailable');
    expect(line).toMatchObject({ level: 'warn', component: 'breached-passwords', source: 'range_api', code: 'breached_passwords_unavailable', reason });
    expect(logs.raw.join('\n')).not.toContain(PREFIX);
    expect(logs.raw.join('\n')).not.toContain(PASSWORD);
  });

  test('nothing listening', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const check = await openBreachedPasswords({ file: '', api: `http://127.0.0.1:${port}`, apiTimeoutMs: 10_000 });
    const logs = captureLogs('warn');
    try {
      expect(await check.isBreached(PASSWORD)).toBe(false);
    } finally {
      logs.restore();
    }
    expect(logs.lines).toEqual([expect.objectContaining({ event: 'breached_password_check_unavailable', reason: 'network' })]);
  });
});

test('the base URL: https, or plain http to a loopback host only; no credentials or query', () => {
  for (const good of ['https://api.pwnedpasswords.com', 'https://proxy.example.it/pwned/', 'http://127.0.0.1:8080', 'http://localhost:1234', 'http://[::1]:99']) expect(() => rangeApiBase(good)).not.toThrow();
  expect(rangeApiBase('https://api.pwnedpasswords.com').href).toBe('https://api.pwnedpasswords.com/');
  for (const bad of ['http://api.pwnedpasswords.com', 'ftp://127.0.0.1', 'https://user:secret@api.pwnedpasswords.com', 'https://api.pwnedpasswords.com/?x=1', 'api.pwnedpasswords.com', 'http://10.0.0.1']) {
    expect(() => rangeApiBase(bad)).toThrow(expect.objectContaining({ code: 'breached_passwords_config' }));
  }
});
