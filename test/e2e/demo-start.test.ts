import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import { bridgeOptions, providerOptions } from '../../src/config/options.js';
import { DEMO_PORT_VARIABLES } from '../../src/demo/demo-settings.js';
import { freePort } from '../../src/demo/free-port.js';
import type { LocalStack } from '../../src/demo/local-stack.js';
import { discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';
import { CardLoginFlow } from '../support/card-login-flow.js';

// `npm start` itself (dist/scripts/demo.js, its bridge in a process of its own), started with the
// environment a developer would set to try their own relying party against the demo.

const ROOT = process.cwd();
const DEMO_SCRIPT = join(ROOT, 'dist', 'scripts', 'demo.js');

let dir: string;
let demo: ChildProcess;
let output = '';
let issuer: string;
let bridgeUrl: string;
let extraRp: LocalStack['rp'];

/** dist/ as compiled from the current sources, scripts/demo.ts included. */
async function ensureBuiltDemo(): Promise<void> {
  await ensureBuiltEntryPoint();
  const newestSource = Math.max(...['scripts/demo.ts', 'src/demo/demo-settings.ts', 'src/demo/local-stack.ts'].map((file) => statSync(join(ROOT, file)).mtimeMs));
  if (existsSync(DEMO_SCRIPT) && statSync(DEMO_SCRIPT).mtimeMs >= newestSource) return;
  const tsc = spawn(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  await once(tsc, 'exit');
}

/** This machine's environment without any setting of the configuration table: the test sets its own. */
function cleanEnvironment(): Record<string, string> {
  const documented = new Set<string>([...Object.values(providerOptions), ...Object.values(bridgeOptions)].map((option) => option.env));
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !documented.has(entry[0])));
}

beforeAll(async () => {
  await ensureBuiltDemo();
  dir = await mkdtemp(join(tmpdir(), 'cie-demo-start-'));
  const ports = { provider: await freePort(), bridge: await freePort(), rp: await freePort(), pki: await freePort(), extraRp: await freePort() };
  issuer = `http://localhost:${ports.provider}`;
  bridgeUrl = `http://127.0.0.1:${ports.bridge}`;

  // A developer's own RP, registered only through CLIENTS_FILE; it wants userinfo as application/jose.
  const extraOrigin = `http://localhost:${ports.extraRp}`;
  const keys = await loadRelyingPartyKeys(join(dir, 'my-rp.json'));
  const metadata: ClientMetadata = { ...relyingPartyMetadata(extraOrigin, 'Il mio servizio', keys), userinfo_content_type: 'application/jose' };
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([metadata]));

  demo = spawn(process.execPath, [DEMO_SCRIPT], {
    cwd: ROOT,
    env: {
      ...cleanEnvironment(),
      DEMO_DIR: dir,
      KEYS_DIR: join(dir, 'keys'),
      PORT: String(ports.provider),
      BRIDGE_PORT: String(ports.bridge),
      [DEMO_PORT_VARIABLES.rp]: String(ports.rp),
      [DEMO_PORT_VARIABLES.pki]: String(ports.pki),
      CLIENTS_FILE: clientsFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => output.includes('Stop with Ctrl+C') && resolve();
    demo.stdout!.on('data', check);
    demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before it ran:\n${output}`)));
  });
  const config = await discoverProvider(issuer, metadata, keys);
  extraRp = { config, keys, redirectUri: `${extraOrigin}/callback`, clientId: extraOrigin };
}, 180_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = once(demo, 'exit');
    demo.kill('SIGINT');
    await exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

function flowFor(rp: LocalStack['rp']): CardLoginFlow {
  return new CardLoginFlow({ issuer, bridge: { url: bridgeUrl }, rp } as unknown as LocalStack);
}

test('npm start prints the settings it took from the environment and the demo defaults in force', () => {
  expect(output).toContain(`OpenID Provider                     ${issuer}`);
  expect(output).toMatch(/Settings from the environment: .*CLIENTS_FILE/);
  expect(output).toContain('BRIDGE_TRANSPORT: virtual');
});

test('an RP registered only in CLIENTS_FILE starts an authorization at npm start: discovery, /auth with its signed request object, the login page', async () => {
  const loginPage = await flowFor(extraRp).openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(new URL(loginPage.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
  expect(loginPage.body).toContain('entra-con-cie');
});

test('that RP signs in with the demo card; its userinfo_content_type gives application/jose, and openid-client still reads application/jwt', async () => {
  const flow = flowFor(extraRp);
  const { callback } = await flow.loginWithPin(DEMO_PIN);
  const { userinfo, tokens } = await flow.finish(callback);
  expect(userinfo.family_name).toBe('Rossi');

  const bare = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(bare.status).toBe(200);
  expect(bare.headers.get('content-type')).toBe('application/jose');
  const asJwt = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/jwt' } });
  expect(asJwt.headers.get('content-type')).toMatch(/^application\/jwt(;|$)/);
}, 60_000);
