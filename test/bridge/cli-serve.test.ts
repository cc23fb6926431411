import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { runBridgeCli } from './cli-harness.js';

let dir: string;
let demo: DemoEnvironment;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-bridge-serve-'));
  demo = await prepareDemoEnvironment(dir, 'http://127.0.0.1:9');
  env = {
    BRIDGE_PORT: '0',
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: await demo.mintCardFile('serve'),
    BRIDGE_DEVICE_KEYS: demo.deviceKeysPath,
  };
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('serve starts the loopback bridge from the environment, prints its URL and stops when asked', async () => {
  let url = '';
  const run = await runBridgeCli(['serve'], [], env, async (stdout) => {
    url = /in ascolto su (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout.join('\n'))?.[1] ?? '';
    const page = await fetch(`${url}/login?origin=${encodeURIComponent('http://localhost:3000')}&challenge=${'A'.repeat(43)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('http://localhost:3000');
  });
  expect(run.code).toBe(0);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(run.stdout.at(-1)).toBe('Bridge CIE fermato.');
  await expect(fetch(`${url}/login`)).rejects.toThrow();
});

test('serve names a port that is already taken', async () => {
  await runBridgeCli(['serve'], [], env, async (stdout) => {
    const port = /:(\d+) /.exec(stdout.join('\n'))?.[1] ?? '';
    const second = await runBridgeCli(['serve'], [], { ...env, BRIDGE_PORT: port });
    expect(second.code).toBe(1);
    expect(second.stderr).toEqual([`La porta ${port} è già in uso: forse il bridge è già avviato (BRIDGE_PORT).`]);
  });
});

test('serve refuses a bad setting in the environment', async () => {
  const run = await runBridgeCli(['serve'], [], { ...env, BRIDGE_PORT: 'eighty' });
  expect(run.code).toBe(1);
  expect(run.stderr[0]).toMatch(/^Configurazione non valida: BRIDGE_PORT must be an integer/);
});
