import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/shared/free-port.js';
import { configureLogging } from '../../src/shared/logger.js';
import { EXIT_OK, EXIT_USAGE, runFederationCli } from '../../src/simulator/federation/cli.js';
import { newFederationKey, publicJwk } from '../../src/simulator/federation/federation-keys.js';
import { enrollEntity, initAnchor, revokeTrustMarks, startAnchorServer, type AnchorServer } from '../../src/simulator/federation/index.js';
import { parsePrometheusText, total, type Samples } from './support/prometheus-text.js';

// The local trust anchor's metrics and logs after real requests (docs/operations.md, "The local trust anchor").

const RP = 'https://rp.example.it';

let parent: string;
let dir: string;
let anchor: AnchorServer;
let base: string;
let trustMark: string;
let trustMarkType: string;
const logLines: string[] = [];

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'cie-anchor-metrics-'));
  dir = join(parent, 'federation');
  configureLogging({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  await initAnchor(dir, { entityId: `http://127.0.0.1:${await freePort()}/` });
  anchor = await startAnchorServer(dir, { metricsPort: await freePort() });
  base = anchor.entityId.replace(/\/$/, '');
  const enrolled = await enrollEntity(dir, { entityId: RP, entityType: 'openid_relying_party', jwks: { keys: [publicJwk((await newFederationKey()).jwk)] } });
  trustMark = enrolled.trustMark.jwt;
  trustMarkType = enrolled.trustMark.type;
});

afterAll(async () => {
  await anchor?.close();
  await rm(parent, { recursive: true, force: true });
});

async function scrape(url = anchor.metricsUrl!): Promise<{ text: string; samples: Samples }> {
  const answer = await fetch(url);
  expect(answer.status).toBe(200);
  const text = await answer.text();
  return { text, samples: parsePrometheusText(text) };
}

const statusPost = (form: Record<string, string>) =>
  fetch(`${base}/trust_mark_status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

test('a fetch of the configuration and a subordinate statement: requests by endpoint and status, statements signed by kind', async () => {
  const before = (await scrape()).samples;
  expect((await fetch(`${base}/.well-known/openid-federation`)).status).toBe(200);
  expect((await fetch(`${base}/fetch?sub=${encodeURIComponent(RP)}`)).status).toBe(200);
  expect((await fetch(`${base}/fetch?sub=${encodeURIComponent('https://unknown.example.it')}`)).status).toBe(404);
  expect((await fetch(`${base}/nothing/here`)).status).toBe(404);
  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'entity_configuration', status: '200' })).toBe(1);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'fetch', status: '200' })).toBe(1);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'fetch', status: '404' })).toBe(1);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'unknown', status: '404' })).toBe(1);
  expect(delta('cie_trust_anchor_request_duration_seconds_count', { endpoint: 'fetch' })).toBe(2);
  expect(delta('cie_trust_anchor_statements_signed_total', { kind: 'entity_configuration' })).toBe(1);
  expect(delta('cie_trust_anchor_statements_signed_total', { kind: 'subordinate_statement' })).toBe(1);
  expect(delta('cie_trust_anchor_statements_signed_total')).toBe(2);
});

test('trust-mark status answers by form and outcome, before and after a revocation', async () => {
  const before = (await scrape()).samples;
  expect((await statusPost({ trust_mark: trustMark })).status).toBe(200);
  const legacy = await fetch(`${base}/trust_mark_status?sub=${encodeURIComponent(RP)}&trust_mark_type=${encodeURIComponent(trustMarkType)}`);
  expect(await legacy.json()).toEqual({ active: true });
  await revokeTrustMarks(dir, RP);
  expect((await statusPost({ trust_mark: trustMark })).status).toBe(200);
  expect(await (await statusPost({ sub: RP, trust_mark_type: trustMarkType })).json()).toEqual({ active: false });
  expect((await statusPost({})).status).toBe(400);
  const after = (await scrape()).samples;
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  expect(delta('cie_trust_anchor_trust_mark_status_total', { form: 'jwt', outcome: 'active' })).toBe(1);
  expect(delta('cie_trust_anchor_trust_mark_status_total', { form: 'jwt', outcome: 'revoked' })).toBe(1);
  expect(delta('cie_trust_anchor_trust_mark_status_total', { form: 'json', outcome: 'active' })).toBe(1);
  expect(delta('cie_trust_anchor_trust_mark_status_total', { form: 'json', outcome: 'inactive' })).toBe(1);
  expect(delta('cie_trust_anchor_trust_mark_status_total')).toBe(4);
  expect(delta('cie_trust_anchor_statements_signed_total', { kind: 'trust_mark_status_response' })).toBe(2);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'trust_mark_status', status: '200' })).toBe(4);
  expect(delta('cie_trust_anchor_requests_total', { endpoint: 'trust_mark_status', status: '400' })).toBe(1);
});

test('no label names an entity; its own registry; every request line carries its request id, echoed to the caller', async () => {
  const { text } = await scrape();
  for (const name of [RP, 'rp.example.it', 'unknown.example.it', '/nothing/here', trustMark]) expect(text).not.toContain(name);
  expect(text).not.toContain('cie_sign_ins_total');
  expect(text).not.toContain('cie_bridge_');

  const answer = await fetch(`${base}/list`, { headers: { 'x-request-id': 'help-desk-42' } });
  expect(answer.headers.get('x-request-id')).toBe('help-desk-42');
  await answer.arrayBuffer();
  const lines = logLines.flatMap((line) => line.split('\n')).filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  const requests = lines.filter((line) => line.component === 'trust-anchor-http' && line.event === 'request');
  expect(requests.length).toBeGreaterThan(0);
  for (const line of requests) expect(line.reqId).toEqual(expect.any(String));
  expect(requests.find((line) => line.reqId === 'help-desk-42')).toEqual(expect.objectContaining({ path: '/list', status: 200 }));
  expect(lines.some((line) => line.event === 'metrics_listening' && line.component === 'trust-anchor')).toBe(true);
});

test('without metricsPort the anchor serves no metrics; cie-federation serve --metrics-port serves them on loopback', async () => {
  const plain = await startAnchorServer(dir, { port: 0 });
  try {
    expect(plain.metricsUrl).toBeUndefined();
  } finally {
    await plain.close();
  }
  const metricsPort = await freePort();
  const out: string[] = [];
  let scraped = '';
  const code = await runFederationCli(['serve', '--dir', dir, '--port', '0', '--metrics-port', String(metricsPort)], {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    waitForShutdown: async () => {
      scraped = (await scrape(`http://127.0.0.1:${metricsPort}/metrics`)).text;
    },
  });
  expect(code).toBe(EXIT_OK);
  expect(out.join('\n')).toContain(`Metrics at http://127.0.0.1:${metricsPort}/metrics`);
  expect(scraped).toContain('cie_trust_anchor_requests_total');
  expect(scraped).toContain('cie_trust_anchor_process_resident_memory_bytes');
  const bad = await runFederationCli(['serve', '--dir', dir, '--metrics-port', 'x'], { out: () => undefined, err: () => undefined, waitForShutdown: () => Promise.resolve() });
  expect(bad).toBe(EXIT_USAGE);
});
