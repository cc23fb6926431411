// `npm run bench -- smartphone` (issue 18): (a) the provider CPU a cross-device ("Prosegui con smartphone")
// login costs beside the card login's, alternating in one run against one provider process; (b) the open SSE
// streams one provider process holds: memory per stream and the store reads of the cross-instance refresh.
import { createHash, sign } from 'node:crypto';
import { Agent, request, type ClientRequest } from 'node:http';
import type { CieCardData } from '../../src/simulator/card/index.js';
import { appAssertion } from '../../src/simulator/app/app-assertion.js';
import { freePort } from '../../src/shared/free-port.js';
import { clientAssertion, clientAuthFields } from './login-client-auth.js';
import { LoginCookieJar } from './login-cookie-jar.js';
import { interactionUrlOf, prepareLogin, runLogin, type PreparedLogin } from './login-driver.js';
import { httpRequest, type HttpAnswer } from './login-http.js';
import { closedLoop, percentile, type LoadRun } from './login-load.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';
import { countersBetween, redisCounters } from './redis-counters.js';

const CONCURRENCY = 8;
const PHASES = 6;
const PHASE_LOGINS = 40;
const SCOPE = 'openid profile email';
const STREAM_COUNTS = [1000, 5000];
/** The hub's per-session bound (DEFAULT_SMARTPHONE_SETTINGS.maxSubscribersPerSession): one session serves this many streams. */
const STREAMS_PER_SESSION = 4;
const REFRESH_WINDOW_MS = 10_000;

/** The phone-specific legs of one cross-device login, in order. */
const PHONE_LEGS = ['start', 'sessionData', 'appOpen', 'appAssertion', 'otp'] as const;
type PhoneLeg = (typeof PHONE_LEGS)[number];

class UnexpectedAnswer extends Error {}
const expectStatus = (answer: { status: number }, status: number, step: string) => {
  if (answer.status !== status) throw new UnexpectedAnswer(`${step}: HTTP ${answer.status}, expected ${status}`);
};

const jsonAgent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A JSON exchange (the app's calls and the desktop page's script), pooled like login-http's. */
function jsonRequest(url: URL, init: { method?: string; cookie?: string; body?: unknown }): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { accept: 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? 'GET', headers, agent: jsonAgent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('error', reject);
      incoming.once('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          resolve({ status: incoming.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new UnexpectedAnswer(`${url.pathname}: HTTP ${incoming.statusCode}, not JSON`));
        }
      });
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** One desktop page's event stream, held open: resolves once the first event arrived; `ended` when the provider ends it. */
function openStream(url: URL, cookie: string, agent: Agent): Promise<{ request: ClientRequest; ended: Promise<string> }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let endedWith: (text: string) => void = () => undefined;
    const ended = new Promise<string>((done) => (endedWith = done));
    const outgoing = request(url, { headers: { accept: 'text/event-stream', cookie }, agent }, (incoming) => {
      if (incoming.statusCode !== 200) return reject(new UnexpectedAnswer(`events: HTTP ${incoming.statusCode}`));
      incoming.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('event: state')) resolve({ request: outgoing, ended });
      });
      incoming.once('end', () => endedWith(text));
      incoming.once('error', () => endedWith(text));
      return undefined;
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

const streamAgent = new Agent({ keepAlive: false, maxSockets: Infinity });

/** A desktop browser up to its smartphone session page: authorize → login page → "Prosegui con smartphone". */
async function startPhoneSession(stack: LoginBenchStack, prepared: PreparedLogin, jar: LoginCookieJar, timed: <T>(leg: PhoneLeg | 'before', work: () => Promise<T>) => Promise<T>) {
  const browse = async (url: string, init: { method?: string; form?: Record<string, string>; origin?: string } = {}) => {
    const answer = await httpRequest(new URL(url, stack.issuer), { method: init.method ?? 'GET', headers: { accept: 'text/html', cookie: jar.header(), ...(init.origin ? { origin: init.origin } : {}) }, ...(init.form ? { form: init.form } : {}) });
    jar.take(answer.setCookies);
    return answer;
  };
  const interactionUrl = await timed('before', async () => {
    const authorized = await browse(prepared.url.href);
    expectStatus(authorized, 303, 'authorize');
    const login = await browse(authorized.location ?? '');
    expectStatus(login, 200, 'login page');
    return authorized.location ?? '';
  });
  const sessionPath = await timed('start', async () => {
    const started = await browse(`${interactionUrl}/smartphone`, { method: 'POST', form: {}, origin: stack.issuer });
    expectStatus(started, 303, 'smartphone start');
    return new URL(started.location ?? '', stack.issuer).pathname;
  });
  const data = await timed('sessionData', async () => {
    const answer = await jsonRequest(new URL(sessionPath, stack.issuer), { cookie: jar.header() });
    expectStatus(answer, 200, 'session data');
    return answer.json as { qr_link: string; mode: string };
  });
  if (data.mode !== 'cross_device') throw new UnexpectedAnswer(`session mode ${data.mode}`);
  return { browse, sessionPath, qrNonce: new URL(data.qr_link).hash.slice(1) };
}

interface PhoneLoginOutcome {
  legsMs: Record<PhoneLeg, number>;
}

/**
 * One cross-device login as the desktop browser, the app and the RP do it, with the desktop page's
 * event stream open from its start to the confirmation (as the page holds it). The card's signature
 * is made here with the card's key (no APDUs): what is timed on the provider is the provider's work.
 */
async function phoneLogin(stack: LoginBenchStack, card: CieCardData, prepared: PreparedLogin): Promise<PhoneLoginOutcome> {
  const jar = new LoginCookieJar();
  const legsMs = {} as Record<PhoneLeg, number>;
  const timed = async <T>(leg: PhoneLeg | 'before', work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    if (leg !== 'before') legsMs[leg] = performance.now() - start;
    return result;
  };
  const { browse, sessionPath, qrNonce } = await startPhoneSession(stack, prepared, jar, timed);
  const stream = await openStream(new URL(`${sessionPath}/events`, stack.issuer), jar.header(), streamAgent);
  const origin = new URL(stack.issuer).origin;
  const opened = await timed('appOpen', async () => {
    const answer = await jsonRequest(new URL('/smartphone/app/open', stack.issuer), { method: 'POST', body: { qr: qrNonce } });
    expectStatus(answer, 200, 'app open');
    return answer.json as { app_token: string; challenge: string };
  });
  const message = Buffer.concat([createHash('sha256').update(origin).digest(), createHash('sha256').update(Buffer.from(opened.challenge, 'base64url')).digest()]);
  const assertion = appAssertion({ origin, challenge: opened.challenge, certificate: card.authCertificate, signature: sign('sha256', message, card.authKey) });
  const otp = await timed('appAssertion', async () => {
    const answer = await jsonRequest(new URL('/smartphone/app/assertion', stack.issuer), { method: 'POST', body: { app_token: opened.app_token, assertion } });
    expectStatus(answer, 200, 'app assertion');
    return String(answer.json.otp);
  });
  const next = await timed('otp', async () => {
    const answer = await jsonRequest(new URL(`${sessionPath}/otp`, stack.issuer), { method: 'POST', cookie: jar.header(), body: { otp } });
    expectStatus(answer, 200, 'otp');
    return String(answer.json.next);
  });
  // The confirmed state is the stream's last event: the provider ends it.
  const events = await stream.ended;
  if (!events.includes('"otp_confirmed"')) throw new UnexpectedAnswer('the stream did not deliver otp_confirmed');
  // The completion answers the consent page; the login waits in the interaction for it.
  expectStatus(await browse(next), 200, 'completion (consent page)');
  const consentUrl = interactionUrlOf(next, stack.issuer);
  const confirmed = await browse(`${consentUrl}/confirm`, { method: 'POST', form: {}, origin: stack.issuer });
  expectStatus(confirmed, 303, 'consent');
  const callback = await browse(confirmed.location ?? '');
  const code = new URL(callback.location ?? '', stack.issuer).searchParams.get('code');
  if (!code) throw new UnexpectedAnswer('no code in the callback');
  const tokens = await httpRequest(new URL('/token', stack.issuer), {
    method: 'POST',
    headers: { accept: 'application/json' },
    form: { grant_type: 'authorization_code', code, redirect_uri: stack.rp.redirectUri, code_verifier: prepared.pending.codeVerifier, ...clientAuthFields(await clientAssertion({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }), stack.rp.clientId) },
  });
  expectStatus(tokens, 200, 'token');
  const userinfo: HttpAnswer = await httpRequest(new URL('/me', stack.issuer), { headers: { authorization: `Bearer ${(JSON.parse(tokens.body) as { access_token: string }).access_token}` } });
  expectStatus(userinfo, 200, 'userinfo');
  return { legsMs };
}

async function prepared(stack: LoginBenchStack, count: number): Promise<PreparedLogin[]> {
  const logins: PreparedLogin[] = [];
  for (let i = 0; i < count; i += 1) logins.push(await prepareLogin(stack, SCOPE));
  return logins;
}

function failIfBroken(run: LoadRun<unknown>, what: string): void {
  if (run.results.length === 0 || run.failures > run.results.length / 100) throw new Error(`${what}: ${run.failures} failures, first: ${run.firstFailure}`);
}

async function providerCpuMsPerLogin<T>(stack: LoginBenchStack, what: string, work: (login: PreparedLogin) => Promise<T>): Promise<{ ms: number; run: LoadRun<T> }> {
  const logins = await prepared(stack, PHASE_LOGINS);
  const before = stack.provider.cpuSeconds();
  const run = await closedLoop(logins, CONCURRENCY, work);
  const cpu = stack.provider.cpuSeconds() - before;
  failIfBroken(run, what);
  return { ms: (1000 * cpu) / run.results.length, run };
}

/** The provider's own gauges (prom-client default metrics on METRICS_PORT). */
async function heapUsedBytes(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^cie_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** The provider runs with this preloaded: SIGUSR2 makes it collect garbage, so memory is read without the garbage of the phases before. */
const GC_ON_SIGNAL = ['--expose-gc', '--import', 'data:text/javascript,process.on("SIGUSR2",()=>globalThis.gc())'];

/** After a full collection in the provider, three samples a second apart (median). */
async function steadyMemory(stack: LoginBenchStack, metricsUrl: string): Promise<{ rss: number; heap: number }> {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    stack.provider.process.kill('SIGUSR2');
    await new Promise((wait) => setTimeout(wait, 1000));
    rss.push(stack.provider.rssBytes());
    heap.push(await heapUsedBytes(metricsUrl));
  }
  return { rss: percentile(rss, 0.5), heap: percentile(heap, 0.5) };
}

interface StreamLevel {
  streams: number;
  sessions: number;
  rssPerStream: number;
  heapPerStream: number;
  rssTotal: number;
  commandsPerSecond: number;
  getsPerSecond: number;
  providerCpuPercent: number;
}

async function holdStreams(stack: LoginBenchStack, metricsUrl: string, count: number): Promise<StreamLevel> {
  const sessionCount = Math.ceil(count / STREAMS_PER_SESSION);
  const logins = await prepared(stack, sessionCount);
  const noTiming = <T>(_leg: PhoneLeg | 'before', work: () => Promise<T>) => work();
  const sessions = await closedLoop(logins, CONCURRENCY, async (login) => {
    const jar = new LoginCookieJar();
    const { sessionPath } = await startPhoneSession(stack, login, jar, noTiming);
    return { url: new URL(`${sessionPath}/events`, stack.issuer), cookie: jar.header() };
  });
  failIfBroken(sessions, 'sessions for the streams');
  const before = await steadyMemory(stack, metricsUrl);
  const targets = sessions.results.flatMap((session) => Array.from({ length: STREAMS_PER_SESSION }, () => session)).slice(0, count);
  const streams = await closedLoop(targets, 64, (target) => openStream(target.url, target.cookie, streamAgent));
  failIfBroken(streams, 'opening streams');
  const held = await steadyMemory(stack, metricsUrl);
  // Idle streams: every store read now is the refresh re-reading each stream's session.
  const counters = await redisCounters(stack.redis);
  const gets = await getCalls(stack);
  const cpu = stack.provider.cpuSeconds();
  const start = performance.now();
  await new Promise((wait) => setTimeout(wait, REFRESH_WINDOW_MS));
  const seconds = (performance.now() - start) / 1000;
  const spent = countersBetween(counters, await redisCounters(stack.redis));
  const level: StreamLevel = {
    streams: streams.results.length,
    sessions: sessions.results.length,
    rssPerStream: (held.rss - before.rss) / streams.results.length,
    heapPerStream: (held.heap - before.heap) / streams.results.length,
    rssTotal: held.rss,
    commandsPerSecond: spent.commands / seconds,
    getsPerSecond: ((await getCalls(stack)) - gets) / seconds,
    providerCpuPercent: (100 * (stack.provider.cpuSeconds() - cpu)) / seconds,
  };
  for (const stream of streams.results) stream.request.destroy();
  return level;
}

async function getCalls(stack: LoginBenchStack): Promise<number> {
  const info = (await stack.redis.call('INFO', 'commandstats')) as string;
  return Number(/^cmdstat_get:calls=(\d+)/m.exec(info)?.[1] ?? 0);
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const median = (values: number[]) => percentile(values, 0.5);

export async function runSmartphoneBenchmark(): Promise<string> {
  const metricsPort = await freePort();
  const stack = await startLoginBenchStack(CONCURRENCY, GC_ON_SIGNAL, { METRICS_PORT: String(metricsPort) });
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const lines: string[] = [];
  try {
    const card = (login: PreparedLogin) => runLogin(stack, login, { offlineAccess: false });
    const phone = (login: PreparedLogin) => stack.cards.with((c) => phoneLogin(stack, c, login));
    // Warm-up of both paths (JIT, the RP's trust chain and certificate caches).
    await providerCpuMsPerLogin(stack, 'warm-up card', card);
    await providerCpuMsPerLogin(stack, 'warm-up phone', phone);
    const cardMs: number[] = [];
    const phoneMs: number[] = [];
    const legs: Record<PhoneLeg, number[]> = { start: [], sessionData: [], appOpen: [], appAssertion: [], otp: [] };
    for (let phase = 0; phase < PHASES; phase += 1) {
      cardMs.push((await providerCpuMsPerLogin(stack, 'card phase', card)).ms);
      const { ms, run } = await providerCpuMsPerLogin(stack, 'phone phase', phone);
      phoneMs.push(ms);
      for (const result of run.results) for (const leg of PHONE_LEGS) legs[leg].push(result.legsMs[leg]);
    }
    const differences = phoneMs.map((ms, index) => ms - cardMs[index]!);
    lines.push(
      `(a) Provider CPU per login, one provider process on Redis, ${CONCURRENCY} clients, ${PHASES} alternating phases of ${PHASE_LOGINS} logins each (median, min–max of phases)`,
      `    floor — card login (bridge assertion): ${fixed(median(cardMs), 2)} ms (${fixed(Math.min(...cardMs), 2)}–${fixed(Math.max(...cardMs), 2)})`,
      `    cross-device login (QR → app open → app assertion → OTP, SSE stream open throughout): ${fixed(median(phoneMs), 2)} ms (${fixed(Math.min(...phoneMs), 2)}–${fixed(Math.max(...phoneMs), 2)})`,
      `    the phone adds: ${fixed(median(differences), 2)} ms of provider CPU per login (paired phases, median; ${fixed(Math.min(...differences), 2)}–${fixed(Math.max(...differences), 2)}), ratio to the floor ${fixed(median(phoneMs) / median(cardMs), 2)}`,
      `    the card's own time (PIN, APDUs, signature) is on the phone and not in these figures; the phone legs' wall time p50 / p99 ms: ${PHONE_LEGS.map((leg) => `${leg} ${fixed(percentile(legs[leg], 0.5))} / ${fixed(percentile(legs[leg], 0.99))}`).join(', ')}`,
    );
    lines.push(`(b) Open SSE streams held by the provider process (${STREAMS_PER_SESSION} per session, the hub's per-session bound; idle, waiting for the app; refresh every 2 s)`);
    lines.push('    streams  sessions  RSS/stream  heap/stream  RSS total  Redis commands/s (GET/s) of the refresh  provider CPU   (per stream: held − before, each after a full GC)');
    for (const count of STREAM_COUNTS) {
      const level = await holdStreams(stack, metricsUrl, count);
      lines.push(`    ${String(level.streams).padStart(7)}  ${String(level.sessions).padStart(8)}  ${fixed(level.rssPerStream / 1024).padStart(7)} KiB  ${fixed(level.heapPerStream / 1024).padStart(8)} KiB  ${fixed(level.rssTotal / 2 ** 20, 0).padStart(6)} MiB  ${fixed(level.commandsPerSecond, 0).padStart(10)} (${fixed(level.getsPerSecond, 0)})  ${fixed(level.providerCpuPercent)} % of a core`);
    }
    return lines.join('\n');
  } finally {
    streamAgent.destroy();
    jsonAgent.destroy();
    await stack.close();
  }
}
