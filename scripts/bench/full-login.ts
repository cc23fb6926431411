import { closedLoop, openLoop, percentile, type LoadRun } from './login-load.js';
import { measured, type Usage } from './login-usage.js';
import { LOGIN_LEGS, prepareLogin, ROUND_TRIPS_PER_LOGIN, runLogin, type LoginOutcome } from './login-driver.js';
import { alternateStockWithItsFloor, STOCK_ROUND_TRIPS_PER_LOGIN, stockGrantCrypto, stockLibraryLine } from './stock-library.js';
import { alternateSeveralWithSameWork, alternatingLine, bareKoaFloor, cryptoFloor, describeCrypto, sameWorkLine, type AlternatingComparison, type CryptoWork, type HttpFloor } from './login-floors.js';
import { summarize } from './statistics.js';
import { redisFootprint } from './login-redis-memory.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';

const CONCURRENCY = 16;
const PHASE_SECONDS = 10;
/** Short phases of provider and floor, alternating: 50 logins take 1.5–3 s here. */
const ALTERNATING_PHASES = 10;
const ALTERNATING_PHASE_LOGINS = 50;
const SCOPE = 'openid profile email';
/**
 * The provider's cryptography per login. Verifications: request object, card signature, client
 * assertion, the access token JWT at userinfo; signatures: ID token, access token JWT, userinfo JWT;
 * encryption: userinfo JWE. (The bench's cards return, so their certificate chain and OCSP answers
 * are cached by the verifier and not counted per login.)
 */
export const LOGIN_CRYPTO: CryptoWork = { rsaSigns: 3, rsaVerifies: 4, ecSigns: 0, ecVerifies: 0, encryptions: 1 };

export interface LegLatency {
  leg: string;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadLevel {
  label: string;
  logins: number;
  failures: number;
  /** The first failure's message, so that a failure below the 1 % that stops the run still says what it was. */
  firstFailure?: string;
  perSecond: number;
  legs: LegLatency[];
  /** The whole login (all legs, without the load generator's own card signature). */
  total: { p50Ms: number; p99Ms: number };
  providerRssMaxBytes: number;
  /** CPU time per login of the provider process and of redis-server (what one core can do = 1000 / ms). */
  providerCpuMsPerLogin: number;
  redisCpuMsPerLogin: number;
}

export interface FullLoginBenchmark {
  levels: LoadLevel[];
  floors: { bareKoa: HttpFloor; cryptoPerSecond: number; sameWork: HttpFloor };
  alternating: AlternatingComparison;
  /** The same provider without the access registry, in the same alternating rounds (the registry's own share). */
  withoutRegistry: RegistryShare;
  /** oidc-provider as it ships, logging in, alternating with a bare koa route doing its round trips and crypto. */
  stockLibrary: AlternatingComparison;
  redisBytesPerLogin: number;
  redisKeysPerLogin: number;
  text: string;
}

export interface RegistryShare {
  alternating: AlternatingComparison;
  /** Provider CPU per login, deployed minus without the registry, per round: median and range. */
  differenceMs: { median: number; min: number; max: number };
  redisBytesPerLogin: number;
  redisKeysPerLogin: number;
}

function level(label: string, run: LoadRun<LoginOutcome>, usage: Usage): LoadLevel {
  const legs = LOGIN_LEGS.map((leg) => {
    const samples = run.results.map((result) => result.legsMs[leg]);
    return { leg, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
  });
  const totals = run.results.map((result) => LOGIN_LEGS.reduce((sum, leg) => sum + result.legsMs[leg], 0));
  return { label, logins: run.results.length, failures: run.failures, ...(run.firstFailure ? { firstFailure: run.firstFailure } : {}), perSecond: run.perSecond, legs, total: { p50Ms: percentile(totals, 0.5), p99Ms: percentile(totals, 0.99) },
    providerRssMaxBytes: usage.rss,
    providerCpuMsPerLogin: (1000 * usage.providerCpuSeconds) / run.results.length,
    redisCpuMsPerLogin: (1000 * usage.redisCpuSeconds) / run.results.length,
  };
}

async function prepared(stack: LoginBenchStack, count: number) {
  const logins = [];
  for (let i = 0; i < count; i += 1) logins.push(await prepareLogin(stack, SCOPE));
  return logins;
}

function failIfBroken(run: LoadRun<unknown>, what: string): void {
  if (run.results.length === 0 || run.failures > run.results.length / 100) throw new Error(`${what}: ${run.failures} failures, first: ${run.firstFailure}`);
}

/**
 * Full level-3 logins per second against one provider process with Redis storage: saturation
 * (closed loop, CONCURRENCY clients) and half of that rate (open loop), per-leg p50/p99, provider
 * RSS, Redis bytes per login, and the HTTP and crypto floors. `providerNodeArgs` e.g. `--cpu-prof`.
 */
export async function runFullLoginBenchmark(options: { providerNodeArgs?: string[] } = {}): Promise<FullLoginBenchmark> {
  const stack = await startLoginBenchStack(CONCURRENCY, options.providerNodeArgs);
  try {
    const empty = await redisFootprint(stack.redis);
    const work = (login: Awaited<ReturnType<typeof prepareLogin>>) => runLogin(stack, login, { offlineAccess: false });
    failIfBroken(await closedLoop(await prepared(stack, 40), 4, work), 'warm-up');
    const calibration = await closedLoop(await prepared(stack, 150), CONCURRENCY, work);
    failIfBroken(calibration, 'calibration');

    const fullLogins = await prepared(stack, Math.round(calibration.perSecond * PHASE_SECONDS));
    const { run: full, usage: fullUsage } = await measured(stack, () => closedLoop(fullLogins, CONCURRENCY, work));
    failIfBroken(full, '100% load');
    const atFull = level('100% (saturated, closed loop)', full, fullUsage);

    const halfRate = full.perSecond / 2;
    const halfLogins = await prepared(stack, Math.round(halfRate * PHASE_SECONDS));
    const { run: half, usage: halfUsage } = await measured(stack, () => openLoop(halfLogins, halfRate, work));
    failIfBroken(half, '50% load');
    const atHalf = level(`50% (open loop at ${halfRate.toFixed(0)}/s)`, half, halfUsage);

    const filled = await redisFootprint(stack.redis);
    const logins = 40 + calibration.results.length + full.results.length + half.results.length;
    let alternating: AlternatingComparison;
    let withoutRegistry: RegistryShare;
    const floors = {
      bareKoa: await bareKoaFloor(ROUND_TRIPS_PER_LOGIN, full.results.length, CONCURRENCY),
      cryptoPerSecond: cryptoFloor(LOGIN_CRYPTO),
      sameWork: await bareKoaFloor(ROUND_TRIPS_PER_LOGIN, full.results.length, CONCURRENCY, LOGIN_CRYPTO),
    };
    // The same provider without the access registry, warmed as the deployed one was, then measured in
    // the same rounds: the difference is the registry's own share of a login (issue 17 item 9).
    const bare = await startLoginBenchStack(CONCURRENCY, options.providerNodeArgs, {}, { withoutRegistry: true });
    try {
      const bareWork = (login: Awaited<ReturnType<typeof prepareLogin>>) => runLogin(bare, login, { offlineAccess: false });
      const bareEmpty = await redisFootprint(bare.redis);
      failIfBroken(await closedLoop(await prepared(bare, 40), 4, bareWork), 'warm-up without the registry');
      failIfBroken(await closedLoop(await prepared(bare, 150 + full.results.length), CONCURRENCY, bareWork), 'calibration without the registry');
      const phase = (on: LoginBenchStack, loginWork: typeof work) => async () => {
        const logins = await prepared(on, ALTERNATING_PHASE_LOGINS);
        const { run, usage } = await measured(on, () => closedLoop(logins, CONCURRENCY, loginWork));
        failIfBroken(run, 'alternating phase');
        return (1000 * usage.providerCpuSeconds) / run.results.length;
      };
      const several = await alternateSeveralWithSameWork({ roundTrips: ROUND_TRIPS_PER_LOGIN, concurrency: CONCURRENCY, work: LOGIN_CRYPTO, units: ALTERNATING_PHASE_LOGINS, phases: ALTERNATING_PHASES }, [phase(stack, work), phase(bare, bareWork)]);
      const bareFilled = await redisFootprint(bare.redis);
      const bareLogins = 40 + 150 + full.results.length + ALTERNATING_PHASES * ALTERNATING_PHASE_LOGINS;
      const differences = several.perRound.map(([deployed, without]) => deployed! - without!);
      alternating = several.comparisons[0]!;
      withoutRegistry = {
        alternating: several.comparisons[1]!,
        differenceMs: { median: summarize(differences).median, min: Math.min(...differences), max: Math.max(...differences) },
        redisBytesPerLogin: (bareFilled.usedBytes - bareEmpty.usedBytes) / bareLogins,
        redisKeysPerLogin: (bareFilled.keys - bareEmpty.keys) / bareLogins,
      };
    } finally {
      await bare.close();
    }
    const stockLibrary = await alternateStockWithItsFloor('login', 'RS256', { concurrency: CONCURRENCY, units: ALTERNATING_PHASE_LOGINS, phases: ALTERNATING_PHASES, sessions: 0 });
    const result = {
      levels: [atHalf, atFull],
      floors,
      alternating,
      withoutRegistry,
      stockLibrary,
      redisBytesPerLogin: (filled.usedBytes - empty.usedBytes) / logins,
      redisKeysPerLogin: (filled.keys - empty.keys) / logins,
    };
    return { ...result, text: formatFullLogin(result) };
  } finally {
    await stack.close();
  }
}

const ms = (value: number) => value.toFixed(1);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function formatFullLogin(result: Omit<FullLoginBenchmark, 'text'>): string {
  const [half, full] = result.levels as [LoadLevel, LoadLevel];
  const lines = [
    `Full level-3 login (authorize+request object → interaction → challenge → assertion → consent → token private_key_jwt → userinfo JWE), one provider process, Redis, ${CONCURRENCY} clients`,
    `leg            50%: p50 / p99 ms   100%: p50 / p99 ms`,
    ...half.legs.map((leg, index) => `${leg.leg.padEnd(14)} ${ms(leg.p50Ms).padStart(8)} / ${ms(leg.p99Ms).padStart(7)}   ${ms(full.legs[index]!.p50Ms).padStart(9)} / ${ms(full.legs[index]!.p99Ms).padStart(7)}`),
    `${'whole login'.padEnd(14)} ${ms(half.total.p50Ms).padStart(8)} / ${ms(half.total.p99Ms).padStart(7)}   ${ms(full.total.p50Ms).padStart(9)} / ${ms(full.total.p99Ms).padStart(7)}`,
    ...result.levels.map((l) => `${l.label}: ${l.perSecond.toFixed(1)} logins/s (${l.logins} logins, ${l.failures} failures${l.firstFailure ? `, first: ${l.firstFailure}` : ''}), provider RSS max ${mib(l.providerRssMaxBytes)} MiB, CPU per login: provider ${ms(l.providerCpuMsPerLogin)} ms (= ${(1000 / l.providerCpuMsPerLogin).toFixed(0)} logins/s per busy core), redis ${ms(l.redisCpuMsPerLogin)} ms`),
    `floor, ${ROUND_TRIPS_PER_LOGIN} round trips to a bare koa route: ${result.floors.bareKoa.perSecond.toFixed(0)} logins/s → we reach ${((100 * full.perSecond) / result.floors.bareKoa.perSecond).toFixed(0)} %`,
    `floor, the same crypto with node:crypto (${describeCrypto(LOGIN_CRYPTO)}): ${result.floors.cryptoPerSecond.toFixed(0)} logins/s on one core → we reach ${((100 * full.perSecond) / result.floors.cryptoPerSecond).toFixed(0)} %`,
    sameWorkLine('login', full.perSecond, full.providerCpuMsPerLogin, result.floors.sameWork),
    alternatingLine('login', result.alternating),
    registryShareLines(result.alternating, result.withoutRegistry),
    stockLibraryLine('login', `memory storage, ${STOCK_ROUND_TRIPS_PER_LOGIN} requests: no request object, no card steps, opaque tokens, ID token RS256, plain userinfo`, stockGrantCrypto('RS256'), result.stockLibrary),
    `Redis per completed login (everything kept until its TTL): ${result.redisBytesPerLogin.toFixed(0)} bytes, ${result.redisKeysPerLogin.toFixed(1)} keys`,
  ];
  return lines.join('\n');
}

/** The same provider without the access registry, and the difference: the registry's own measured share. */
function registryShareLines(deployed: AlternatingComparison, without: RegistryShare): string {
  const percent = (value: number) => (100 * value).toFixed(0);
  const { ratio } = without.alternating;
  const difference = without.differenceMs;
  return [
    `the same provider without the access registry, in the same rounds: provider CPU ${without.alternating.providerCpuMs.toFixed(2)} ms, floor ${without.alternating.floorCpuMs.toFixed(2)} ms per login (medians) → we reach ${percent(ratio.median)} % per core (${percent(ratio.min)}–${percent(ratio.max)} %)`,
    `the registry's own measured share: deployed − without = ${difference.median.toFixed(2)} ms provider CPU per login (median of the rounds; ${difference.min.toFixed(2)} to ${difference.max.toFixed(2)}), ${percent(difference.median / deployed.providerCpuMs)} % of the deployed login; ratio ${percent(deployed.ratio.median)} % with it, ${percent(ratio.median)} % without`,
    `Redis per completed login without the registry: ${without.redisBytesPerLogin.toFixed(0)} bytes, ${without.redisKeysPerLogin.toFixed(1)} keys`,
  ].join('\n');
}
