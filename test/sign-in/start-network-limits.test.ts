import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProviderConfig } from '../../src/config/config.js';
import { authorizationUrl, discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { rateLimitHits } from '../../src/observability/metrics.js';
import { ACR } from '../../src/oidc/acr.js';
import { createProviderApp, type ProviderApp } from '../../src/provider-app.js';
import { freePort } from '../../src/shared/free-port.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import type { RedisClient } from '../../src/storage/redis/connection.js';
import { windowAt } from '../../src/storage/state/fixed-window.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { captureLogs, type LogLine } from '../support/captured-logs.js';
import { startRedis, type RedisHandle } from '../support/redis-server.js';
import { TestBrowser } from '../support/test-browser.js';

// Every sign-in start counts in one per-network window (CARD_REQUESTS_PER_IP a minute), as the card's
// start always did: the real provider app on a real Redis, one level-1 login page (which offers every
// method), each method's start button posted from client networks of its own (TRUST_PROXY: X-Forwarded-For).
const LIMIT = 2;
const RP = 'http://rp.localhost:4310';

let dir: string;
let redis: RedisHandle;
let client: RedisClient;
let app: ProviderApp;
let server: Server;
let issuer: string;
let uid: string;
let cookie: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sign-in-start-limits-'));
  redis = await startRedis();
  client = await redis.connect();
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const config = loadProviderConfig({
    ISSUER: issuer,
    PORT: String(port),
    HOST: '127.0.0.1',
    KEYS_DIR: join(dir, 'keys'),
    BRIDGE_URL: 'http://127.0.0.1:9',
    CIE_TRUST_ANCHORS: '',
    CIE_INTERMEDIATES: '',
    CARD_REQUESTS_PER_IP: String(LIMIT),
    EMAIL_SECOND_FACTOR: 'true',
    TRUST_PROXY: 'true',
  });
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'keys', 'rp.json'));
  const metadata = relyingPartyMetadata(RP, 'Comune di Esempio', rpKeys);
  app = await createProviderApp({
    config,
    extraClients: [metadata],
    storage: { store: new RedisStateStore(client, redis.keyPrefix) },
    // No start touches the credentials' database.
    credentials: { database: async () => { throw new Error('no database in this test'); } },
  });
  server = createServer(app.provider.callback());
  await listen(server, port, '127.0.0.1');
  const { url } = await authorizationUrl(await discoverProvider(issuer, metadata, rpKeys), `${RP}/callback`, rpKeys, 'openid profile', ACR.L1);
  const browser = new TestBrowser(RP);
  const page = await browser.get(url.href);
  uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1] ?? '';
  if (page.status !== 200 || !uid) throw new Error(`no login page: ${page.status} ${page.url}`);
  cookie = await browser.jar.getCookieString(page.url);
}, 60_000);

afterAll(async () => {
  app?.close();
  if (server) await closeNow(server);
  await client?.quit();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The method's start button, posted from `network` by the browser that owns the interaction. */
function start(pathName: string, network: string, language = 'it') {
  return fetch(`${issuer}/interaction/${uid}/${pathName}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: issuer, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': network, 'accept-language': language },
    body: '',
  });
}

interface Answer {
  status: number;
  location: string | null;
  retryAfter: number;
  body: string;
}

const read = async (response: Response): Promise<Answer> => ({
  status: response.status,
  location: response.headers.get('location'),
  retryAfter: Number(response.headers.get('retry-after')),
  body: await response.text(),
});

let networks = 0;
const hits = async () => (await rateLimitHits.get()).values.find((value) => value.labels.limit === 'too_many_requests')?.value ?? 0;

interface Run {
  network: string;
  answers: Answer[];
  /** What the run added to cie_rate_limit_hits_total{limit="too_many_requests"}. */
  hits: number;
  /** The run's `sign_in_network_limited` log lines. */
  limitedLines: LogLine[];
}

/**
 * LIMIT + 2 requests from a network no test used, all inside one clock window: if the window turned over
 * between the first and the last (at most once a minute), the count started again, so the sequence is
 * run again from a new network (what the metric and the log saw is taken per run).
 */
async function inOneWindow(send: (network: string, index: number) => Promise<Response>): Promise<Run> {
  for (;;) {
    const network = `203.0.113.${(networks += 1)}`;
    const before = windowAt(Date.now(), 60).index;
    const hitsBefore = await hits();
    const logs = captureLogs('warn');
    const answers: Answer[] = [];
    try {
      for (let i = 0; i < LIMIT + 2; i += 1) answers.push(await read(await send(network, i)));
    } finally {
      logs.restore();
    }
    if (windowAt(Date.now(), 60).index !== before) continue;
    return { network, answers, hits: (await hits()) - hitsBefore, limitedLines: logs.lines.filter((line) => line.event === 'sign_in_network_limited') };
  }
}

/** A JSON call of the phone (no cookie), from `network`. */
const call = (path: string, body: object, network: string) =>
  fetch(`${issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': network }, body: JSON.stringify(body) });

// Where each start leads when admitted: its own page (the card: the bridge).
const starts: [method: string, pathName: string, admitted: RegExp][] = [
  ['password', 'password', /^\/sign-in\/password\/[^/?]+\?lang=it$/],
  ['password-otp', 'password-otp', /^\/sign-in\/password\/[^/?]+\?lang=it$/],
  ['password-app', 'password-app', /^\/sign-in\/password\/[^/?]+\?lang=it$/],
  ['passkey', 'passkey', /^\/sign-in\/passkey\/[^/?]+\?lang=it$/],
  ['app-qr', 'app-qr', /^\/sign-in\/app\/[^/?]+\?lang=it$/],
  ['smartphone', 'smartphone', /^\/smartphone\/session\/[^/?]+\?lang=it$/],
  ['cie-card', 'cie', /^http:\/\/127\.0\.0\.1:9\/login\?/],
];

test.each(starts)('%s: under the limit the start proceeds; past it the 429 page (IT/EN, Retry-After), the metric and one log line; another network is unaffected', async (method, pathName, admitted) => {
  const { network, answers, hits: added, limitedLines } = await inOneWindow((network, i) => start(pathName, network, i === LIMIT + 1 ? 'en' : 'it'));
  for (const answer of answers.slice(0, LIMIT)) {
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(admitted);
  }
  const [refused, refusedAgain] = answers.slice(LIMIT);
  for (const answer of [refused!, refusedAgain!]) {
    expect(answer.status).toBe(429);
    expect(answer.retryAfter).toBeGreaterThan(0);
    expect(answer.retryAfter).toBeLessThanOrEqual(60);
    expect(answer.body).toContain('data-code="too_many_requests"');
    // "Riprova" posts this method's start again; "Torna al servizio" aborts the interaction.
    expect(answer.body).toContain(`action="/interaction/${uid}/${pathName}"`);
    expect(answer.body).toContain(`href="/interaction/${uid}/abort"`);
  }
  expect(refused!.body).toContain('Dalla tua rete sono arrivate troppe richieste di accesso. Attendi un minuto e riprova.');
  expect(refusedAgain!.body).toContain('Too many sign-in requests have come from your network. Wait a minute and try again.');
  expect(added).toBe(2);
  // One line for the network's window, however many refusals follow.
  expect(limitedLines).toEqual([expect.objectContaining({ level: 'warn', component: 'sign-in', network, method, limit: LIMIT })]);

  const other = await read(await start(pathName, `198.51.100.${(networks += 1)}`));
  expect(other.status).toBe(303);
  expect(other.location).toMatch(admitted);
});

test.each([
  ['app-approval', '/app/approvals/pending', { request: 'x.y.z' }],
  ['smartphone', '/smartphone/app/open', { code: 'AAAA-AAAA' }],
])('the calls of the phone (%s) count in the same window: past it 429 JSON with Retry-After, the metric, one log line; a start from that network is refused too', async (endpoint, path, body) => {
  // The last request is a start of the interaction's password method, from the same network.
  const { network, answers, hits: added, limitedLines } = await inOneWindow((network, i) => (i === LIMIT + 1 ? start('password', network) : call(path, body, network)));
  for (const answer of answers.slice(0, LIMIT)) expect(answer.status).not.toBe(429);
  const [refusedCall, refusedStart] = answers.slice(LIMIT);
  for (const answer of [refusedCall!, refusedStart!]) {
    expect(answer.status).toBe(429);
    expect(answer.retryAfter).toBeGreaterThan(0);
  }
  expect(JSON.parse(refusedCall!.body)).toMatchObject({ error: 'too_many_requests' });
  expect(refusedStart!.body).toContain('data-code="too_many_requests"');
  expect(added).toBe(2);
  expect(limitedLines).toEqual([expect.objectContaining({ network, method: endpoint, limit: LIMIT })]);
});
