import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import { bridgeOptions, providerOptions } from '../../src/config/options.js';
import { DEMO_PORT_VARIABLES } from '../../src/demo/demo-settings.js';
import { freePort } from '../../src/shared/free-port.js';
import type { LocalStack } from '../../src/demo/local-stack.js';
import { discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyFederationKeys } from '../../src/demo-rp/rp-federation-keys.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { demoRpEntityConfiguration } from '../../src/demo/demo-rp-entity.js';
import type { EntityStatementClaims } from '../../src/federation/entity-statement.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../../src/federation/media-types.js';
import { decodeUnverified, verifyFederationJwt } from '../../src/federation/statement-verification.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { formIn } from '../support/test-browser.js';
import { eventually } from '../storage/eventually.js';

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
let anchorUrl: string;
let rpUrl: string;
let myRpServer: Server | undefined;

/** dist/ as compiled from the current sources, scripts/demo.ts included. */
async function ensureBuiltDemo(): Promise<void> {
  await ensureBuiltEntryPoint();
  const sources = ['scripts/demo.ts', 'src/demo/demo-settings.ts', 'src/demo/local-stack.ts', 'src/demo/local-anchor.ts', 'src/demo/demo-rp-entity.ts', 'src/simulator/federation/cli.ts', 'src/simulator/federation/anchor-server.ts', 'src/simulator/app/app-server.ts', 'src/simulator/app/app-web.ts'];
  const newestSource = Math.max(...sources.map((file) => statSync(join(ROOT, file)).mtimeMs));
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
  const ports = { provider: await freePort(), bridge: await freePort(), rp: await freePort(), pki: await freePort(), ta: await freePort(), app: await freePort(), extraRp: await freePort(), metrics: await freePort() };
  issuer = `http://localhost:${ports.provider}`;
  anchorUrl = `http://127.0.0.1:${ports.ta}/`;
  rpUrl = `http://localhost:${ports.rp}`;
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
      [DEMO_PORT_VARIABLES.ta]: String(ports.ta),
      [DEMO_PORT_VARIABLES.app]: String(ports.app),
      CLIENTS_FILE: clientsFile,
      METRICS_PORT: String(ports.metrics),
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
  if (myRpServer) await closeNow(myRpServer);
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

test('npm start runs the CieID-app simulator on loopback ("the phone"), and the banner says how to sign in with it', async () => {
  const appUrl = /CieID app simulator \("the phone"\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  expect(appUrl).toBeDefined();
  expect(output).toContain('choose "Prosegui con smartphone"');
  expect(output).toContain(`open the app simulator ${appUrl} as "the phone"`);
  expect(output).toContain(`npx cie-app sign --card ${join(dir, 'cards', 'demo-card.json')}`);
  const page = await fetch(`${appUrl}/`);
  expect(page.status).toBe(200);
  const text = await page.text();
  expect(text).toContain('Entra con QR Code');
  // The demo's provider is filled in: the citizen types only the code shown under the QR.
  expect(text).toContain(`name="origin" size="40" value="${issuer}"`);
}, 90_000);

test('the banner\'s terminal command for the phone is the package\'s cie-app bin: without a command it prints its usage', async () => {
  const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['cie-app']!;
  const usage = await promisify(execFile)(process.execPath, [join(ROOT, bin)], { cwd: ROOT }).catch((error: { code: number; stderr: string }) => error);
  expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: cie-app sign') });
}, 90_000);

test('with the demo\'s "phone": "Prosegui con smartphone" on the login page, the app page on the demo card (the bridge\'s too), the OTP typed on the computer, consent, tokens', async () => {
  const appUrl = /CieID app simulator \("the phone"\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  const flow = flowFor(extraRp);
  const loginPage = await flow.openLoginPage();
  const { action } = formIn(loginPage.body, { action: /\/smartphone$/ });
  const session = await flow.browser.post(new URL(action, issuer).href, {}, issuer);
  // As the banner says: the code shown under the QR, typed into the app page (the site is filled in there).
  const typedCode = /id="typed-code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})</.exec(session.body)?.[1];
  expect({ typedCode, at: session.url }).toEqual({ typedCode: expect.any(String), at: expect.stringContaining('/smartphone/session/') });
  const shown = await (await fetch(`${appUrl}/open`, { method: 'POST', body: new URLSearchParams({ origin: issuer, code: typedCode! }) })).text();
  expect(shown).toContain('livello 3');
  const id = /name="id" value="([^"]+)"/.exec(shown)![1]!;
  const signed = await (await fetch(`${appUrl}/pin`, { method: 'POST', body: new URLSearchParams({ id, pin: DEMO_PIN }) })).text();
  const otp = /<p id="otp"[^>]*>([0-9]{6})</.exec(signed)![1]!;
  const sessionUrl = new URL(session.url);
  const consent = await flow.browser.post(`${sessionUrl.origin}${sessionUrl.pathname}/otp`, { otp }, issuer);
  const { userinfo } = await flow.finish(await flow.allowConsent(consent));
  expect(userinfo.family_name).toBe('Rossi');
}, 60_000);

test('npm start serves the provider\'s Prometheus metrics on METRICS_PORT (loopback) and prints where', async () => {
  const url = /Metrics \(Prometheus\)\s+(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(output)?.[1];
  expect(url).toBeDefined();
  const answer = await fetch(url!);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toContain('# TYPE cie_sign_ins_total counter');
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

test('npm start runs the trust anchor: the banner names it and the one command that enrolls your own RP', async () => {
  expect(output).toContain(`OpenID Federation trust anchor      ${anchorUrl}`);
  expect(output).toContain(`npx cie-federation enroll https://my-rp.example/ --dir ${join(dir, 'federation')}`);
  const response = await fetch(`${anchorUrl}.well-known/openid-federation`);
  expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.entityStatement);
  const claims = decodeUnverified(await response.text()).claims as EntityStatementClaims;
  expect(claims.iss).toBe(anchorUrl);
  // The provider and the demo RP are enrolled.
  expect(((await (await fetch(`${anchorUrl}list`)).json()) as string[]).sort()).toEqual([issuer, rpUrl].sort());
});

test('the demo RP is a federation entity: its entity configuration, self-signed, with automatic registration, the anchor as superior and its trust mark', async () => {
  const response = await fetch(`${rpUrl}/.well-known/openid-federation`);
  expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.entityStatement);
  const jwt = await response.text();
  const ownKeys = (decodeUnverified(jwt).claims as EntityStatementClaims).jwks;
  const claims = await verifyFederationJwt<EntityStatementClaims>(jwt, ownKeys, { typ: JOSE_TYPES.entityStatement, now: Math.floor(Date.now() / 1000), clockTolerance: 5 });
  expect(claims).toMatchObject({ iss: rpUrl, sub: rpUrl, authority_hints: [anchorUrl] });
  expect(claims.metadata!.openid_relying_party).toMatchObject({
    client_id: rpUrl,
    client_registration_types: ['automatic'],
    redirect_uris: [`${rpUrl}/callback`],
    token_endpoint_auth_method: 'private_key_jwt',
    organization_name: 'Comune di Esempio',
  });
  // Its federation keys are not its OIDC keys.
  const oidcKids = (claims.metadata!.openid_relying_party!.jwks as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  expect(oidcKids).not.toContain(ownKeys.keys[0]!.kid);
  expect(claims.trust_marks).toEqual([expect.objectContaining({ trust_mark_type: `${anchorUrl}openid_relying_party/public/` })]);
});

test('the demo RP is not a static client: its first request makes the provider resolve its trust chain to the anchor', async () => {
  const keys = await loadRelyingPartyKeys(join(dir, 'keys', 'demo-rp.json'));
  const config = await discoverProvider(issuer, relyingPartyMetadata(rpUrl, 'Comune di Esempio', keys), keys);
  const loginPage = await flowFor({ config, keys, redirectUri: `${rpUrl}/callback`, clientId: rpUrl }).openLoginPage();
  expect(loginPage.status).toBe(200);
  // The provider writes its log lines in batches (at most 0.1 s late: docs/operations.md).
  const resolution = `"event":"federation_trust_chain_resolution","subject":"${rpUrl}","trust_anchor":"${anchorUrl}"`;
  await eventually(async () => output.includes(resolution)).catch(() => undefined);
  expect(output).toContain(resolution);
}, 60_000);

test('the banner\'s enroll command, run while the demo runs, lets a developer\'s federated RP start a login at once', async () => {
  const myPort = await freePort();
  const myOrigin = `http://localhost:${myPort}`;
  const keys = await loadRelyingPartyKeys(join(dir, 'my-federated-rp.json'));
  const metadata = relyingPartyMetadata(myOrigin, 'Il mio servizio federato', keys);
  const entityConfiguration = demoRpEntityConfiguration({
    entityId: myOrigin,
    organizationName: 'Il mio servizio federato',
    metadata,
    federationKeys: await loadRelyingPartyFederationKeys(join(dir, 'my-federated-rp-federation.json')),
    anchor: { entityId: anchorUrl, fetchEndpoint: `${anchorUrl}fetch` },
  });
  myRpServer = createServer((request, response) => {
    if (request.url !== '/.well-known/openid-federation') return void response.writeHead(404).end();
    void entityConfiguration().then(({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body));
  });
  await listen(myRpServer, myPort, '127.0.0.1');

  // The banner's command, with the CLI as npm installs it (package.json "bin").
  const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['cie-federation']!;
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, bin), 'enroll', myOrigin, '--dir', join(dir, 'federation')], { cwd: ROOT });
  expect(stdout).toContain(`Enrolled ${myOrigin} as openid_relying_party`);

  const config = await discoverProvider(issuer, metadata, keys);
  const loginPage = await flowFor({ config, keys, redirectUri: `${myOrigin}/callback`, clientId: myOrigin }).openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(new URL(loginPage.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
}, 60_000);
