import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppCli } from '../../src/simulator/app/app-cli.js';
import { DeviceKeyStore, newDeviceKey } from '../../src/simulator/app/device-key-store.js';

// `cie-app`'s level-2 commands on their own (through the provider: app-factor-logins.test.ts).

const ORIGIN = 'https://id.example.it';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-app-cli-unit-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(args: string[], lines: string[] = [], fetchImpl?: typeof fetch) {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await runAppCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), waitForShutdown: async () => {} }, async () => lines.shift(), fetchImpl);
  return { exit, out: out.join('\n'), err: err.join('\n') };
}

test('--help names every command; an unknown command or a missing option is a usage error (exit 2)', async () => {
  const help = await run(['--help']);
  expect(help.exit).toBe(0);
  for (const command of ['cie-app sign', 'cie-app enrol', 'cie-app approve', 'cie-app scan-l2']) expect(help.out).toContain(command);
  expect((await run(['constructor'])).exit).toBe(2);
  const bare = await run([]);
  expect(bare.exit).toBe(2);
  expect(bare.err).toContain('Usage: cie-app sign');
  const missing = await run(['approve', '--origin', ORIGIN]);
  expect(missing.exit).toBe(2);
  expect(missing.err).toContain('--keystore required');
});

test('approve with a wrong security code: exit 1 with the code, nothing sent; a device not certified for the site: not_certified', async () => {
  const keystore = join(dir, 'store.json');
  const store = await DeviceKeyStore.openFile(keystore);
  const key = newDeviceKey();
  await store.add({ origin: ORIGIN, deviceId: 'd'.repeat(32), name: 'Pixel', publicJwk: key.publicJwk, privateKey: key.privateKey, code: '482915' });
  const sent: string[] = [];
  const spy: typeof fetch = async (input) => (sent.push(String(input)), new Response('{}'));
  const wrong = await run(['approve', '--keystore', keystore, '--origin', ORIGIN], ['999999'], spy);
  expect(wrong.exit).toBe(1);
  expect(wrong.err).toContain('[wrong_security_code]');
  expect(wrong.err).not.toContain('999999');
  const elsewhere = await run(['scan-l2', '--keystore', keystore, '--qr', `https://other.example/app/l2#${'n'.repeat(43)}`], ['482915'], spy);
  expect(elsewhere.err).toContain('[not_certified]');
  expect(sent).toEqual([]);
});
