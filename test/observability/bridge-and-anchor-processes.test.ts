import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/shared/free-port.js';
import { initAnchor } from '../../src/simulator/federation/index.js';
import { DEMO_PIN, prepareDemoEnvironment } from '../../src/simulator/demo-environment.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';

// The built executables as a kiosk or an operator runs them: JSON log lines on stderr (service, request id),
// human output on stdout, the metrics endpoint where the setting asks for it, and no PIN anywhere.

let parent: string;

beforeAll(async () => {
  await ensureBuiltEntryPoint();
  parent = await mkdtemp(join(tmpdir(), 'cie-observed-processes-'));
}, 180_000);

afterAll(() => rm(parent, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

function run(entry: string[], env: NodeJS.ProcessEnv): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: 'info' };
  delete childEnv.NODE_OPTIONS;
  const child = spawn(process.execPath, [join('dist', 'src', ...entry.slice(0, 1)), ...entry.slice(1)], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function until(check: () => string | undefined, what: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const found = check();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function stop(running: Running): Promise<void> {
  const exited = once(running.child, 'exit');
  running.child.kill('SIGTERM');
  await exited;
}

function jsonLines(stderr: string): Array<Record<string, unknown>> {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  // Every line of stderr is a log line (the human messages of `serve` go to stdout).
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('cie-bridge-virtual serve with BRIDGE_METRICS_PORT: JSON request lines on stderr, a sign-in counted, no PIN in any output', async () => {
  const demo = await prepareDemoEnvironment(join(parent, 'demo'), 'http://127.0.0.1:9');
  const origin = 'https://id.example.it';
  const metricsPort = await freePort();
  const bridge = run(['simulator/virtual-bridge/cli.js', 'serve'], {
    BRIDGE_PORT: '0',
    BRIDGE_ALLOWED_ORIGINS: origin,
    BRIDGE_VIRTUAL_CARD: await demo.mintCardFile('process'),
    BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
    BRIDGE_METRICS_PORT: String(metricsPort),
  });
  try {
    const url = await until(() => /(http:\/\/127\.0\.0\.1:\d+)/.exec(bridge.stdout())?.[1], 'the bridge to listen');
    const challenge = Buffer.alloc(32, 9).toString('base64url');
    const page = await (await fetch(`${url}/login?origin=${encodeURIComponent(origin)}&challenge=${challenge}`)).text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)![1]!;
    const signed = await fetch(`${url}/login`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request: field('request'), token: field('token'), pin: DEMO_PIN }).toString() });
    expect(signed.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(total(parsePrometheusText(metrics), 'cie_bridge_card_sessions_total', { operation: 'sign', outcome: 'ok' })).toBe(1);
    expect(metrics).toContain('cie_bridge_process_resident_memory_bytes');
    expect(metrics).not.toContain(DEMO_PIN);
  } finally {
    await stop(bridge);
  }
  const lines = jsonLines(bridge.stderr());
  for (const line of lines) expect(line).toEqual(expect.objectContaining({ service: 'bridge', level: expect.any(String), time: expect.any(String) }));
  const requests = lines.filter((line) => line.event === 'request');
  expect(requests.map((line) => [line.method, line.path, line.status])).toEqual([['GET', '/login', 200], ['POST', '/login', 200]]);
  for (const line of requests) expect(line).toEqual(expect.objectContaining({ component: 'bridge-http', reqId: expect.any(String) }));
  expect(lines.some((line) => line.event === 'metrics_listening')).toBe(true);
  expect(`${bridge.stdout()}${bridge.stderr()}`).not.toContain(DEMO_PIN);
}, 120_000);

test('cie-federation serve --metrics-port: JSON request lines on stderr with the trust anchor service, metrics on loopback', async () => {
  const dir = join(parent, 'federation');
  const port = await freePort();
  await initAnchor(dir, { entityId: `http://127.0.0.1:${port}/` });
  const metricsPort = await freePort();
  const anchor = run(['simulator/federation/main.js', 'serve', '--dir', dir, '--metrics-port', String(metricsPort)], {});
  try {
    await until(() => (anchor.stdout().includes('Metrics at') ? 'yes' : undefined), 'the anchor to listen');
    expect((await fetch(`http://127.0.0.1:${port}/.well-known/openid-federation`, { headers: { 'x-request-id': 'operator-7' } })).status).toBe(200);
    const metrics = parsePrometheusText(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
    expect(total(metrics, 'cie_trust_anchor_requests_total', { endpoint: 'entity_configuration', status: '200' })).toBe(1);
  } finally {
    await stop(anchor);
  }
  const lines = jsonLines(anchor.stderr());
  for (const line of lines) expect(line).toEqual(expect.objectContaining({ service: 'trust-anchor' }));
  expect(lines.find((line) => line.event === 'request')).toEqual(expect.objectContaining({ component: 'trust-anchor-http', reqId: 'operator-7', path: '/.well-known/openid-federation', status: 200 }));
}, 120_000);
