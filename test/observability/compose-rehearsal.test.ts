import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadCredentialsKeys } from '../../src/credentials/credentials-keys.js';
import { relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { loadFederationKeys } from '../../src/federation/op/federation-keys.js';
import { loadProviderKeys } from '../../src/oidc/provider-keys.js';
import { loadRegistryKeys } from '../../src/registry/registry-keys.js';
import { freePort } from '../../src/shared/free-port.js';
import { loadBridgeConfig } from '../../src/config/config.js';
import { startBridge } from '../../src/bridge/start-bridge.js';
import { authorizationUrl, completeLogin, discoverProvider } from '../../src/demo-rp/rp-client.js';
import { DEMO_HOLDER, DEMO_PIN, prepareDemoEnvironment, type DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { startPkiServer, type PkiServer } from '../../src/simulator/pki/index.js';
import { CardFileTerminal } from '../../src/simulator/virtual-bridge/card-file-terminal.js';
import { formIn, TestBrowser } from '../support/test-browser.js';
import { routedFetch } from './support/citizen-network.js';
import { bindMounts, resolveComposeFile, type ComposeService } from './support/compose-project.js';
import { mapEnvironment, type ContainerMapping } from './support/container-mapping.js';
import { runtimeImage } from './support/dockerfile-stages.js';
import { runHealthcheck } from './support/healthcheck.js';
import { startPostgresContainer, type PostgresContainer } from './support/postgres-container.js';
import { startRedisContainer, type RedisContainer } from './support/redis-container.js';
import { RehearsalProcesses, waitUntil, type Started } from './support/rehearsal-processes.js';
import { imageUser, stageImage } from './support/staged-image.js';

// `docker compose up` rehearsed without a container engine (docs/operations.md, "What is tested here
// without a container engine"): each service of compose.yaml runs as its container would, on 127.0.0.1,
// with exactly its environment but for the mapping of support/container-mapping.ts.

// What the operator exports before `docker compose up` (compose.yaml's header).
const operator = {
  ISSUER: 'https://id.example.it',
  REDIS_PASSWORD: randomBytes(16).toString('hex'),
  POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
  PROVIDER_DB_PASSWORD: randomBytes(16).toString('hex'),
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};
// The files the operator copies in before starting (compose.yaml's header): made for the test in the
// temporary directory; every other bind mount is the checkout's own (deploy/postgres-init).
const OPERATOR_FILES = ['./deploy/keys', './deploy/clients.json', './deploy/cie'];

const compose = resolveComposeFile(operator);
const image = runtimeImage();
const services = compose.services as Record<'provider' | 'registry-migrate' | 'redis' | 'postgres', ComposeService>;
const processes = new RehearsalProcesses();
const originalFetch = globalThis.fetch;
const user = imageUser(image);

let root: string;
let app: string;
let postgres: PostgresContainer;
let redis: RedisContainer;
let provider: Started | undefined;
let cie: DemoEnvironment;
let citizenCard: string;
let pkiServer: PkiServer | undefined;
let bridge: { url: string; close(): Promise<void> } | undefined;
const RP = 'https://rp.example.it';
const providerPorts: Record<string, number> = {};
let setUp: Promise<unknown> = Promise.resolve();

/** A service's bind mounts, each container path → its stand-in here. */
function mountedPaths(service: ComposeService): Record<string, string> {
  return Object.fromEntries([...bindMounts(service)].map(([target, source]) => [target, OPERATOR_FILES.includes(source) ? join(root, source) : resolve(source)]));
}

/** What a process of the image sees: the image's ENV, then the service's environment, both mapped, and this machine's PATH. */
function imageEnvironment(service: ComposeService, ports: Record<string, number> = {}): Record<string, string> {
  const mapping: ContainerMapping = { hosts: { redis: redis.port, postgres: postgres.port }, ports, paths: mountedPaths(service) };
  return { PATH: process.env.PATH ?? '', ...mapEnvironment({ ...image.env, ...service.environment }, mapping) };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const outgoing = request(url, { headers, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${url}: no answer in 5 s`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The operator's files: every key of docs/keys.md, one RP, the (test) CIE CAs; readable by the image's user as docs/operations.md asks. */
async function operatorFiles(): Promise<void> {
  const keys = join(root, 'deploy', 'keys');
  const pkiPort = await freePort();
  // Independent key pairs: made side by side.
  const [rpKeys] = await Promise.all([
    loadRelyingPartyKeys(join(root, 'rp', 'rp-keys.json')),
    loadProviderKeys(keys, true),
    loadFederationKeys(keys, true),
    loadRegistryKeys(keys, true),
    loadCredentialsKeys(keys, true),
    // The national CIE infrastructure's stand-in: test PKI (its OCSP responder and CRLs served), the citizen's card.
    (async () => {
      cie = await prepareDemoEnvironment(join(root, 'cie'), `http://127.0.0.1:${pkiPort}`);
      citizenCard = await cie.mintCardFile('citizen');
      pkiServer = await startPkiServer(cie.pki, { port: pkiPort });
    })(),
  ]);
  await writeFile(join(root, 'deploy', 'clients.json'), JSON.stringify([relyingPartyMetadata(RP, 'Comune di Esempio', rpKeys)]));
  await mkdir(join(root, 'deploy', 'cie'));
  await copyFile(cie.trustAnchorPath, join(root, 'deploy', 'cie', 'root-ca.pem'));
  await copyFile(cie.intermediatePath, join(root, 'deploy', 'cie', 'issuing-ca.pem'));
  if (user && process.getuid?.() === 0) {
    await chown(keys, user.uid, user.gid);
    for (const name of await readdir(keys)) await chown(join(keys, name), user.uid, user.gid);
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'compose-rehearsal-'));
  // Traversable by the services' own users (postgres, the image's node); the keys keep their own 0700 directory.
  await chmod(root, 0o755);
  await mkdir(join(root, 'deploy'));
  // Side by side, as `docker compose up` starts the stores while the operator's files are long in place.
  const stores = Promise.all([
    startPostgresContainer(services.postgres, mountedPaths(services.postgres)['/docker-entrypoint-initdb.d']!, join(root, 'postgres'), processes),
    startRedisContainer(services.redis, join(root, 'redis'), processes),
  ]);
  const files = Promise.all([stageImage(image, join(root, 'image')), operatorFiles()]);
  // afterAll waits for both, failed or not, so nothing they start outlives the cleanup.
  setUp = Promise.allSettled([stores, files]);
  [[postgres, redis], [app]] = await Promise.all([stores, files]);
}, 90_000);

afterAll(async () => {
  await setUp;
  globalThis.fetch = originalFetch;
  await bridge?.close();
  await pkiServer?.close();
  if (provider) await processes.stop(provider, 'SIGKILL');
  if (redis) await processes.stop(redis.server, 'SIGTERM');
  // Fast shutdown: SIGTERM would wait for every client to leave.
  if (postgres) await processes.stop(postgres.server, 'SIGINT');
  await processes.stopAll();
  if (root) await rm(root, { recursive: true, force: true });
}, 30_000);

test('postgres: initialised as the image does, healthy by its own healthcheck; deploy/postgres-init made the provider\'s role with PROVIDER_DB_PASSWORD', async () => {
  const health = await runHealthcheck(services.postgres.healthcheck!.test, postgres.containerEnv, processes);
  expect(health).toEqual({ code: 0, output: expect.any(String) });
  // Over the network (127.0.0.1 standing for the compose network) passwords are checked, as from another container.
  const as = (name: string, password: string) => new pg.Client({ connectionString: `postgres://${name}:${password}@127.0.0.1:${postgres.port}/cie_registry`, connectionTimeoutMillis: 5_000 });
  const provider = as('cie_provider', operator.PROVIDER_DB_PASSWORD);
  await provider.connect();
  try {
    expect((await provider.query('SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user')).rows).toEqual([{ current_user: 'cie_provider', rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    await expect(provider.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: '42501' });
  } finally {
    await provider.end();
  }
  const wrong = as('cie_provider', 'not-the-password');
  await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
  await wrong.end().catch(() => {});
}, 60_000);

test('redis: its command as written (password, append-only file, noeviction), healthy by its own healthcheck, which a wrong password fails', async () => {
  const cli = (args: string[], password = operator.REDIS_PASSWORD) => processes.run('redis-cli', ['--no-auth-warning', ...args], { env: { ...redis.containerEnv, REDISCLI_AUTH: password } });
  expect((await cli(['CONFIG', 'GET', 'maxmemory-policy'])).output).toBe('maxmemory-policy\nnoeviction\n');
  expect((await cli(['CONFIG', 'GET', 'appendonly'])).output).toBe('appendonly\nyes\n');
  expect((await cli(['GET', 'x'], '')).output).toMatch(/NOAUTH/);
  const wrongPassword = await runHealthcheck(services.redis.healthcheck!.test, { ...redis.containerEnv, REDIS_PASSWORD: 'not-the-password' }, processes);
  expect(wrongPassword.code).not.toBe(0);
}, 30_000);

test('registry-migrate: its command, run as the image\'s user in its WORKDIR, migrates as the owner and grants the provider\'s role', async () => {
  const [program, ...args] = services['registry-migrate'].command!;
  const outcome = await processes.run(program!, args, { env: imageEnvironment(services['registry-migrate']), cwd: app, ...(user ? { as: user } : {}) }, 30_000);
  expect(outcome).toEqual({ code: 0, output: expect.stringContaining('cie_provider') });
}, 40_000);

test('provider: the image\'s CMD with the service\'s environment is ready; discovery names ISSUER; metrics need the token; the Dockerfile\'s HEALTHCHECK passes', async () => {
  for (const port of [...(services.provider.ports ?? []).map((binding) => binding.split(':').at(-1)!), ...(services.provider.expose ?? [])]) providerPorts[port] = await freePort();
  const env = imageEnvironment(services.provider, providerPorts);
  const [program, ...args] = image.cmd;
  provider = processes.start(program!, args, { env, cwd: app, ...(user ? { as: user } : {}) });
  const origin = `http://127.0.0.1:${providerPorts['3000']}`;
  const running = provider;
  await waitUntil(async () => running.child.exitCode === null && (await get(`${origin}/readyz`).catch(() => ({ status: 0 }))).status === 200, 30_000, () => running.output());

  // The TLS-terminating proxy on the host (TRUST_PROXY): the issuer's Host, the scheme in X-Forwarded-Proto.
  const discovery = await get(`${origin}/.well-known/openid-configuration`, { Host: new URL(operator.ISSUER).host, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' });
  expect(discovery.status).toBe(200);
  const metadata = JSON.parse(discovery.body) as Record<string, unknown>;
  expect(metadata.issuer).toBe(operator.ISSUER);
  // oidc-provider builds its endpoints' URLs from the request's host: docs/operations.md tells the proxy to pass it on.
  const endpoints = Object.entries(metadata).filter(([name]) => name.endsWith('_endpoint') || name === 'jwks_uri');
  expect(endpoints.length).toBeGreaterThan(4);
  expect(endpoints.filter(([, url]) => !String(url).startsWith(`${operator.ISSUER}/`))).toEqual([]);

  const metricsUrl = `http://127.0.0.1:${providerPorts['9464']}/metrics`;
  expect((await get(metricsUrl)).status).toBe(401);
  expect((await get(metricsUrl, { Authorization: 'Bearer not-the-token' })).status).toBe(401);
  const scraped = await get(metricsUrl, { Authorization: `Bearer ${operator.METRICS_TOKEN}` });
  expect(scraped.status).toBe(200);
  expect(scraped.body).toMatch(/^cie_process_cpu_seconds_total /m);

  // The style kit and the fonts, served from the image's node_modules (dependencies, not dev ones).
  for (const asset of ['/assets/vendor/bootstrap-italia.min.css', '/assets/fonts/titillium-web-latin-400-normal.woff2']) expect((await get(`${origin}${asset}`)).status).toBe(200);

  const health = await processes.run('/bin/sh', ['-c', image.healthcheck], { env, cwd: app, ...(user ? { as: user } : {}) });
  expect(health.code).toBe(0);
}, 60_000);

test('a whole card login through the rehearsed provider: an RP of clients.json, the citizen\'s browser and bridge, the test CIE PKI', async () => {
  // The citizen's machine runs the bridge at BRIDGE_URL's default (compose sets none): reached here on a free port.
  const bridgeConfig = loadBridgeConfig({ BRIDGE_PORT: '0', BRIDGE_ALLOWED_ORIGINS: operator.ISSUER, BRIDGE_TRANSPORT: 'virtual', BRIDGE_VIRTUAL_CARD: citizenCard, BRIDGE_DEVICE_KEYS: cie.deviceKeysPath });
  bridge = await startBridge(bridgeConfig, new CardFileTerminal(bridgeConfig.virtualCard));
  const bridgeUrl = 'http://127.0.0.1:3900';
  const bridgePort = Number(new URL(bridge.url).port);
  globalThis.fetch = routedFetch([
    { origin: operator.ISSUER, port: providerPorts['3000']!, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } },
    { origin: bridgeUrl, port: bridgePort, host: `127.0.0.1:${bridgePort}`, rewriteOrigin: bridge.url },
  ], originalFetch);

  const rpKeys = await loadRelyingPartyKeys(join(root, 'rp', 'rp-keys.json'));
  const rp = await discoverProvider(operator.ISSUER, relyingPartyMetadata(RP, 'Comune di Esempio', rpKeys), rpKeys);
  const browser = new TestBrowser(`${RP}/callback`);
  const { url, pending } = await authorizationUrl(rp, `${RP}/callback`, rpKeys, 'openid profile');
  const loginPage = await browser.get(url.href);
  expect(loginPage.url.startsWith(`${operator.ISSUER}/`)).toBe(true);
  const pinPage = await browser.post(new URL(formIn(loginPage.body, { action: /\/cie$/ }).action, operator.ISSUER).href, {}, operator.ISSUER);
  expect(pinPage.url.startsWith(bridgeUrl)).toBe(true);
  const forward = await browser.post(`${bridgeUrl}/login`, { ...formIn(pinPage.body, { action: /^\/login$/ }).fields, pin: DEMO_PIN }, bridgeUrl);
  const assertion = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const consent = await browser.post(assertion.action, assertion.fields, bridgeUrl);
  const confirm = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(confirm.action, operator.ISSUER).href, confirm.fields, operator.ISSUER);
  expect(callback.url.startsWith(`${RP}/callback?`)).toBe(true);
  const { idToken, userinfo } = await completeLogin(rp, new URL(callback.url), pending);
  expect(idToken.iss).toBe(operator.ISSUER);
  expect(idToken.acr).toBe('https://www.spid.gov.it/SpidL3');
  expect(userinfo).toMatchObject({ given_name: DEMO_HOLDER.givenName, family_name: DEMO_HOLDER.familyName });
}, 40_000);

test('least privilege as deployed: the provider\'s role may read and append registry records, never change or remove one', async () => {
  const client = new pg.Client({ connectionString: imageEnvironment(services.provider, providerPorts).DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    // The login above left its records, which the provider's role reads and appended.
    expect(Number((await client.query('SELECT count(*) FROM registry_records')).rows[0].count)).toBeGreaterThan(0);
    for (const statement of ['UPDATE registry_records SET kind = kind', 'DELETE FROM registry_records', 'TRUNCATE registry_records', 'DROP TABLE registry_records', 'UPDATE registry_checkpoints SET seq = seq', 'DELETE FROM registry_checkpoints', 'ALTER TABLE registry_records ADD COLUMN x int']) {
      await expect(client.query(statement)).rejects.toMatchObject({ code: '42501' });
    }
  } finally {
    await client.end();
  }
}, 20_000);

test('the daily purge docs/operations.md schedules (`docker compose run --rm registry-migrate node dist/src/registry/cli.js purge`) runs as the owner', async () => {
  const outcome = await processes.run('node', ['dist/src/registry/cli.js', 'purge'], { env: imageEnvironment(services['registry-migrate']), cwd: app, ...(user ? { as: user } : {}) }, 30_000);
  expect(outcome).toEqual({ code: 0, output: expect.stringMatching(/nothing older than \d+ months/) });
}, 40_000);

test('provider: `docker compose stop` (SIGTERM) ends it cleanly within the service\'s stop_grace_period', async () => {
  const grace = Number(/^(\d+)s$/.exec(services.provider.stop_grace_period ?? '')?.[1]);
  expect(grace).toBeGreaterThan(0);
  const code = await processes.stop(provider!, 'SIGTERM', grace * 1000);
  expect({ code, output: code === 0 ? '' : provider!.output() }).toEqual({ code: 0, output: '' });
  // Its whole life, login included, as the log shipper sees it: one JSON object a line, nothing at error or fatal.
  // (Save the warning oidc-provider prints on a Node.js older than 22: this machine's; the image's is 22.)
  const olderNode = Number(process.versions.node.split('.')[0]) < 22;
  const lines = provider!.output().split('\n').filter((line) => line.trim() !== '' && !(olderNode && line.startsWith('oidc-provider WARNING: Unsupported runtime.')));
  expect(lines.filter((line) => !/^\{.*\}$/.test(line))).toEqual([]);
  expect(lines.filter((line) => ['error', 'fatal'].includes((JSON.parse(line) as { level: string }).level))).toEqual([]);
  expect(lines.map((line) => (JSON.parse(line) as { event?: string }).event)).toEqual(expect.arrayContaining(['listening', 'metrics_listening', 'draining']));
}, 40_000);
