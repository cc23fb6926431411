import { freePort } from '../../src/shared/free-port.js';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { captureLogs } from '../support/captured-logs.js';
import { formIn } from '../support/test-browser.js';
import { scrape, total, type Samples } from './support/prometheus-text.js';

// Issue 17 items 6 and 7: request ids in the provider's answers and log lines; the counters an
// operator graphs move when citizens sign in.
const TOKEN = 'metrics-token-'.padEnd(40, 'x');
let stack: TestStack;
let metrics: MetricsServer;

beforeAll(async () => {
  // One challenge per sign-in: a second click in the same sign-in is the 429 counted below.
  stack = await startTestStack({ providerEnv: { CARD_CHALLENGES_PER_INTERACTION: '1' } });
  metrics = await startMetricsServer({ port: await freePort(), host: '127.0.0.1', token: TOKEN });
}, 120_000);

afterAll(async () => {
  await metrics?.close();
  await stack?.dispose();
});

const read = () => scrape(metrics.url, TOKEN);
const moved = (before: Samples, after: Samples, name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);

test('the metrics port answers only GET /metrics, and only with the bearer token', async () => {
  expect((await fetch(metrics.url)).status).toBe(401);
  expect((await fetch(metrics.url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
  const answer = await fetch(metrics.url, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect((await fetch(metrics.url.replace('/metrics', '/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
});

test('two card sign-ins move sign-ins, verifier, OCSP (a fetch, then a cache hit), storage, HTTP and federation metrics', async () => {
  const before = await read();
  for (let round = 0; round < 2; round += 1) {
    const flow = new CardLoginFlow(stack);
    const { callback } = await flow.loginWithPin(DEMO_PIN);
    await flow.finish(callback);
  }
  const after = await read();

  expect(moved(before, after, 'cie_sign_ins_total', { method: 'card', level: 'SpidL3', outcome: 'success' })).toBe(2);
  expect(moved(before, after, 'cie_verifier_duration_seconds_count', { outcome: 'accepted' })).toBe(2);
  // The first sign-in asks the OCSP responder; the second finds the good answer in the cache.
  expect(moved(before, after, 'cie_revocation_fetches_total', { source: 'ocsp', outcome: 'ok' })).toBe(1);
  expect(moved(before, after, 'cie_revocation_cache_hits_total', { source: 'ocsp' })).toBe(1);
  expect(moved(before, after, 'cie_revocation_fetch_duration_seconds_count', { source: 'ocsp' })).toBe(1);
  expect(moved(before, after, 'cie_storage_operation_duration_seconds_count', { backend: 'memory', store: 'state' })).toBeGreaterThan(0);
  expect(moved(before, after, 'cie_storage_operation_duration_seconds_count', { backend: 'memory', store: 'AuthorizationCode' })).toBeGreaterThan(0);
  expect(moved(before, after, 'cie_http_request_duration_seconds_count', { service: 'provider', status_class: '2xx' })).toBeGreaterThan(0);
  expect(moved(before, after, 'cie_http_request_duration_seconds_count', { service: 'provider', status_class: '3xx' })).toBeGreaterThan(0);
  // The demo RP is registered through its trust chain: resolved once, then found in the cache.
  expect(total(after, 'cie_federation_resolutions_total', { outcome: 'ok' })).toBeGreaterThan(0);
  expect(total(after, 'cie_federation_resolution_duration_seconds_count', { outcome: 'ok' })).toBe(total(after, 'cie_federation_resolutions_total', { outcome: 'ok' }));
  expect(moved(before, after, 'cie_federation_chain_cache_total', { result: 'hit' })).toBeGreaterThan(0);
  expect(moved(before, after, 'cie_storage_errors_total')).toBe(0);
}, 60_000);

test('a refused assertion counts as a refused sign-in with its code; a second challenge in one sign-in as a rate-limit hit', async () => {
  const before = await read();
  const flow = new CardLoginFlow(stack);
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const tampered = JSON.parse(fields.assertion!) as { signature: string };
  const signature = Buffer.from(tampered.signature, 'base64url');
  signature.writeUInt8(signature.readUInt8(10) ^ 0x01, 10);
  tampered.signature = signature.toString('base64url');
  expect((await flow.browser.post(action, { assertion: JSON.stringify(tampered) }, stack.bridge.url)).body).toContain('data-code="invalid_signature"');

  const again = new CardLoginFlow(stack);
  const loginPage = await again.openLoginPage();
  await again.clickEntraConCie(loginPage);
  const second = await again.clickEntraConCie(loginPage);
  expect(second.status).toBe(429);
  const after = await read();

  expect(moved(before, after, 'cie_verifier_refusals_total', { code: 'invalid_signature' })).toBe(1);
  expect(moved(before, after, 'cie_sign_ins_total', { method: 'card', outcome: 'refused' })).toBe(1);
  expect(moved(before, after, 'cie_verifier_duration_seconds_count', { outcome: 'refused' })).toBe(1);
  expect(moved(before, after, 'cie_rate_limit_hits_total', { limit: 'too_many_challenges' })).toBe(1);
  expect(moved(before, after, 'cie_sign_ins_total', { outcome: 'cancelled' })).toBe(0);
}, 60_000);

test('a sign-in cancelled at the bridge counts as cancelled, and reaches no verifier', async () => {
  const before = await read();
  const flow = new CardLoginFlow(stack);
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage());
  const cancel = formIn(pinPage.body, { action: /\/cie\/assertion$/ });
  expect((await flow.browser.post(cancel.action, cancel.fields, stack.bridge.url)).body).toContain('data-code="cancelled"');
  const after = await read();
  expect(moved(before, after, 'cie_sign_ins_total', { method: 'card', level: 'SpidL3', outcome: 'cancelled' })).toBe(1);
  expect(moved(before, after, 'cie_verifier_duration_seconds_count')).toBe(0);
  expect(moved(before, after, 'cie_http_request_duration_seconds_count', { service: 'provider', status_class: '4xx' })).toBeGreaterThan(0);
}, 60_000);

describe('request ids', () => {
  const discovery = (headers: Record<string, string> = {}) => fetch(`${stack.issuer}/.well-known/openid-configuration`, { headers });
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  test('a short safe x-request-id is kept and echoed; anything else is replaced by a fresh one', async () => {
    expect((await discovery({ 'x-request-id': 'lb-7f3a.42:0' })).headers.get('x-request-id')).toBe('lb-7f3a.42:0');
    for (const unsafe of ['two words', 'x'.repeat(65), '{"level":"fatal"}', 'a/b', 'token=eyJhbGciOiJub25lIn0']) {
      expect((await discovery({ 'x-request-id': unsafe })).headers.get('x-request-id')).toMatch(UUID);
    }
    const [first, second] = await Promise.all([discovery(), discovery()]);
    expect(first!.headers.get('x-request-id')).toMatch(UUID);
    expect(first!.headers.get('x-request-id')).not.toBe(second!.headers.get('x-request-id'));
  });

  test('each request of a card sign-in is logged once with its id, path without query, status and time', async () => {
    const logs = captureLogs();
    const ids: string[] = [];
    try {
      const flow = new CardLoginFlow(stack);
      const loginPage = await flow.openLoginPage();
      ids.push(loginPage.headers.get('x-request-id')!);
      await flow.finish(await flow.allowConsent(await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN))));
    } finally {
      logs.restore();
    }
    const provider = logs.lines.filter((line) => line.component === 'http');
    expect(provider.length).toBeGreaterThan(5);
    for (const line of provider) expect(line).toMatchObject({ level: 'info', event: 'request', reqId: expect.any(String), method: expect.any(String), status: expect.any(Number), ms: expect.any(Number) });
    expect(provider.map((line) => line.reqId)).toContain(ids[0]);
    expect(new Set(provider.map((line) => line.reqId)).size).toBe(provider.length);
    // Paths only: the query strings of /auth and the callback carry the request object and the code.
    for (const line of provider) expect(String(line.path)).not.toContain('?');
    expect(provider.map((line) => line.path)).toEqual(expect.arrayContaining(['/auth', '/cie/assertion', '/token', '/me']));
    // The bridge's requests have their own ids and lines.
    expect(logs.lines.filter((line) => line.component === 'bridge-http').length).toBeGreaterThan(0);
  }, 60_000);
});
