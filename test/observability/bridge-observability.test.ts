import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadBridgeConfig } from '../../src/config/config.js';
import { createBridgeApp } from '../../src/bridge/bridge-server.js';
import { startBridge, type RunningBridge } from '../../src/bridge/start-bridge.js';
import { freePort } from '../../src/shared/free-port.js';
import { configureLogging } from '../../src/shared/logger.js';
import { CardFileTerminal } from '../../src/simulator/virtual-bridge/card-file-terminal.js';
import { DEMO_PIN, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { parsePrometheusText, total, type Samples } from './support/prometheus-text.js';

// The card bridge's metrics and logs after real card sessions on a virtual card (docs/operations.md, "The card bridge").

const ORIGIN = 'https://id.example.it';
const CHALLENGE = Buffer.alloc(32, 7).toString('base64url');
const WRONG_PIN = '00000001';
const NEW_PIN = '27182818';

let dir: string;
let demo: DemoEnvironment;
let bridge: RunningBridge;
let metricsPort: number;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-bridge-metrics-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
  configureLogging({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  metricsPort = await freePort();
  const config = loadBridgeConfig({ BRIDGE_PORT: '0', BRIDGE_ALLOWED_ORIGINS: ORIGIN, BRIDGE_DEVICE_KEYS: demo.deviceKeysPath, BRIDGE_METRICS_PORT: String(metricsPort) });
  bridge = await startBridge(config, new CardFileTerminal(await demo.mintCardFile('metrics')));
}, 120_000);

afterAll(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true });
});

async function scrape(): Promise<{ text: string; samples: Samples }> {
  const answer = await fetch(bridge.metricsUrl!);
  expect(answer.status).toBe(200);
  const text = await answer.text();
  return { text, samples: parsePrometheusText(text) };
}

function hidden(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  if (value === undefined) throw new Error(`no field ${name}`);
  return value;
}

const post = (path: string, form: Record<string, string>) =>
  fetch(`${bridge.url}${path}`, { method: 'POST', headers: { origin: bridge.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(), redirect: 'manual' });

test('BRIDGE_METRICS_PORT serves the bridge\'s metrics on 127.0.0.1 only; without it there is no metrics endpoint', async () => {
  expect(bridge.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(loadBridgeConfig({}).metricsPort).toBeUndefined();
  const { text } = await scrape();
  // Its own registry: the bridge's series, none of the provider's.
  expect(text).toContain('cie_bridge_card_sessions_total');
  expect(text).not.toContain('cie_sign_ins_total');
  // A page that rebinds its DNS name to 127.0.0.1 is refused, as on the bridge's pages.
  const rebound = await new Promise<number>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port: metricsPort, path: '/metrics', headers: { host: `evil.example:${metricsPort}` } }, (answer) => {
      answer.resume();
      resolve(answer.statusCode ?? 0);
    }).on('error', reject).end();
  });
  expect(rebound).toBe(421);
});

test('a sign-in with the virtual card: one open sign-in while the PIN page shows, then a card session "sign" ok and the requests by route', async () => {
  const before = (await scrape()).samples;
  const page = await fetch(`${bridge.url}/login?origin=${encodeURIComponent(ORIGIN)}&challenge=${CHALLENGE}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const opened = (await scrape()).samples;
  expect(total(opened, 'cie_bridge_pending_sign_ins')).toBe(total(before, 'cie_bridge_pending_sign_ins') + 1);

  const answer = await post('/login', { request: hidden(html, 'request'), token: hidden(html, 'token'), pin: DEMO_PIN });
  expect(answer.status).toBe(200);
  expect(await answer.text()).toContain('cie-assertion:1.0');

  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_bridge_card_sessions_total', { operation: 'sign', outcome: 'ok' })).toBe(1);
  expect(delta('cie_bridge_card_sessions_total')).toBe(1);
  expect(delta('cie_bridge_card_operation_duration_seconds_count', { operation: 'sign', result: 'ok' })).toBe(1);
  expect(total(after, 'cie_bridge_card_operation_duration_seconds_sum', { operation: 'sign', result: 'ok' })).toBeGreaterThan(0);
  expect(total(after, 'cie_bridge_pending_sign_ins')).toBe(total(before, 'cie_bridge_pending_sign_ins'));
  expect(delta('cie_bridge_http_requests_total', { route: '/login', method: 'GET', status: '200' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: '/login', method: 'POST', status: '200' })).toBe(1);
}, 60_000);

test('a PIN change with a wrong PIN: a card session "pin_change" counted as wrong_pin, the form answered 400', async () => {
  const before = (await scrape()).samples;
  const form = await fetch(`${bridge.url}/pin/change`);
  const answer = await post('/pin/change', { token: hidden(await form.text(), 'token'), request: '', current: WRONG_PIN, next: NEW_PIN, again: NEW_PIN });
  expect(answer.status).toBe(400);
  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_bridge_card_sessions_total', { operation: 'pin_change', outcome: 'wrong_pin' })).toBe(1);
  expect(delta('cie_bridge_card_sessions_total')).toBe(1);
  expect(delta('cie_bridge_card_operation_duration_seconds_count', { operation: 'pin_change', result: 'error' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: '/pin/change', method: 'GET', status: '200' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: '/pin/change', method: 'POST', status: '400' })).toBe(1);
}, 60_000);

test('the card page reads the counters (read_tries ok); assets, unknown paths and unknown methods get labels of their own', async () => {
  const before = (await scrape()).samples;
  expect((await fetch(`${bridge.url}/`)).status).toBe(200);
  expect((await fetch(`${bridge.url}/no/such/page?origin=${encodeURIComponent(ORIGIN)}`)).status).toBe(404);
  expect((await fetch(`${bridge.url}/bridge-assets/bridge.css`)).status).toBe(200);
  await fetch(`${bridge.url}/login`, { method: 'PROPFIND' });
  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_bridge_card_sessions_total', { operation: 'read_tries', outcome: 'ok' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: '/', method: 'GET', status: '200' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: 'assets', method: 'GET', status: '200' })).toBe(1);
  // A method a program invents does not become a label of its own.
  expect(delta('cie_bridge_http_requests_total', { method: 'other' })).toBe(1);
  expect(after.some((sample) => sample.labels.method === 'PROPFIND')).toBe(false);
});

test('no label carries the origin, the challenge, a path of its own or a PIN; the logs carry no PIN either, and every request line its request id', async () => {
  const { text, samples } = await scrape();
  for (const secret of [DEMO_PIN, WRONG_PIN, NEW_PIN, ORIGIN, 'id.example.it', CHALLENGE, '/no/such/page']) expect(text).not.toContain(secret);
  const routes = new Set(samples.filter((s) => s.name === 'cie_bridge_http_requests_total').map((s) => s.labels.route));
  expect([...routes].sort()).toEqual(['/', '/login', '/pin/change', 'assets', 'unmatched']);

  const lines = logLines.flatMap((line) => line.split('\n')).filter((line) => line.trim() !== '');
  for (const line of lines) for (const secret of [DEMO_PIN, WRONG_PIN, NEW_PIN]) expect(line).not.toContain(secret);
  const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.component === 'bridge-http' && line.event === 'request');
  // One request line per answer the metrics counted.
  expect(requests.length).toBe(total(samples, 'cie_bridge_http_requests_total'));
  for (const line of requests) {
    expect(line.reqId).toEqual(expect.any(String));
    expect(String(line.path)).not.toContain('?');
  }
  expect(lines.some((line) => line.includes('"event":"metrics_listening"'))).toBe(true);
});

test('a metrics port already in use is logged and the bridge runs without metrics', async () => {
  const config = loadBridgeConfig({ BRIDGE_PORT: '0', BRIDGE_ALLOWED_ORIGINS: ORIGIN, BRIDGE_DEVICE_KEYS: demo.deviceKeysPath, BRIDGE_METRICS_PORT: String(metricsPort) });
  const second = await startBridge(config, new CardFileTerminal(await demo.mintCardFile('metrics-second')));
  try {
    expect(second.metricsUrl).toBeUndefined();
    expect((await fetch(`${second.url}/login?origin=${encodeURIComponent(ORIGIN)}&challenge=${CHALLENGE}`)).status).toBe(200);
    expect(logLines.some((line) => line.includes('"event":"metrics_unavailable"'))).toBe(true);
  } finally {
    await second.close();
  }
}, 60_000);

test('a card failure the bridge did not expect, with the PIN in its message: counted as internal_error, answered 500, logged by its name only', async () => {
  const before = (await scrape()).samples;
  const failing = { sign: async (pin: string) => Promise.reject(new Error(`the reader echoed ${pin}`)) };
  const pins = { readTriesLeft: async () => ({ pin: 3, puk: 10 }), changePin: async () => undefined, unblockPin: async () => undefined };
  const app = createBridgeApp({ allowedOrigins: [ORIGIN], signer: failing, pins, version: 'test', port: () => 3901 }).callback();
  const host = '127.0.0.1:3901';
  const page = await request(app).get(`/login?origin=${encodeURIComponent(ORIGIN)}&challenge=${CHALLENGE}`).set('Host', host);
  const answer = await request(app).post('/login').set('Host', host).set('Origin', `http://${host}`).type('form')
    .send({ request: hidden(page.text, 'request'), token: hidden(page.text, 'token'), pin: DEMO_PIN });
  expect(answer.status).toBe(500);
  expect(answer.text).not.toContain(DEMO_PIN);
  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_bridge_card_sessions_total', { operation: 'sign', outcome: 'internal_error' })).toBe(1);
  expect(delta('cie_bridge_http_requests_total', { route: '/login', method: 'POST', status: '500' })).toBe(1);
  const failure = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === 'bridge_unexpected_error');
  expect(failure).toEqual(expect.objectContaining({ code: 'internal_error', error_type: 'Error', reqId: expect.any(String) }));
  for (const line of logLines) expect(line).not.toContain(DEMO_PIN);
});

test('pages that only say what went wrong are counted by the error table code, never by the origin asked for', async () => {
  const before = (await scrape()).samples;
  const other = 'https://not-allowed.example.it';
  expect((await fetch(`${bridge.url}/login?origin=${encodeURIComponent(other)}&challenge=${CHALLENGE}`)).status).toBe(403);
  expect((await fetch(`${bridge.url}/login/progress?job=nothing`)).status).toBe(410);
  const { text, samples: after } = await scrape();
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_bridge_error_pages_total', { code: 'origin_not_allowed' })).toBe(1);
  expect(delta('cie_bridge_error_pages_total', { code: 'expired' })).toBe(1);
  expect(delta('cie_bridge_error_pages_total')).toBe(2);
  expect(text).not.toContain('not-allowed.example.it');
});
