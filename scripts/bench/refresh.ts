import { closedLoop, openLoop, percentile, type LoadRun } from './login-load.js';
import { measured, type Usage } from './login-usage.js';
import { prepareLogin, runLogin } from './login-driver.js';
import { alternateWithSameWork, alternatingLine, bareKoaFloor, cryptoFloor, describeCrypto, sameWorkLine, type AlternatingComparison, type CryptoWork, type HttpFloor } from './login-floors.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';
import { clientAssertions, refreshGrant, RefreshTokenChains } from './refresh-grant.js';
import { alternateStockWithItsFloor, stockGrantCrypto, stockLibraryLine } from './stock-library.js';

const SESSIONS = 32;
/** One client per session: a rotated refresh token can be used by one request at a time. */
const CONCURRENCY = SESSIONS;
const PHASE_SECONDS = 8;
/** Short phases of provider and floor, alternating: 300 grants take 1–3 s here. */
const ALTERNATING_PHASES = 10;
const ALTERNATING_PHASE_GRANTS = 300;
/**
 * Per refresh: verify the client assertion (the RP's RS256) and the refresh token JWT, sign the new
 * refresh and access token JWTs (no ID token on refresh); the token JWTs by TOKEN_SIGNING_ALG.
 */
function refreshCrypto(alg: 'RS256' | 'ES256'): CryptoWork {
  return alg === 'RS256' ? { rsaSigns: 2, rsaVerifies: 2, ecSigns: 0, ecVerifies: 0, encryptions: 0 } : { rsaSigns: 0, rsaVerifies: 1, ecSigns: 2, ecVerifies: 1, encryptions: 0 };
}

export interface RefreshLevel {
  label: string;
  grants: number;
  failures: number;
  /** The first failure's message, so that a failure below the 1 % that stops the run still says what it was. */
  firstFailure?: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  providerRssMaxBytes: number;
  providerCpuMsPerGrant: number;
  redisCpuMsPerGrant: number;
}

export interface RefreshBenchmark {
  /** TOKEN_SIGNING_ALG of the provider under test. */
  alg: 'RS256' | 'ES256';
  crypto: CryptoWork;
  levels: RefreshLevel[];
  floors: { bareKoa: HttpFloor; cryptoPerSecond: number; sameWork: HttpFloor };
  alternating: AlternatingComparison;
  /** oidc-provider as it ships, alternating with the bare koa route doing its (smaller) crypto. */
  stockLibrary: AlternatingComparison;
  text: string;
}

/** The RP's client assertions for the provider under test. */
function assertions(stack: LoginBenchStack, count: number): Promise<string[]> {
  return clientAssertions({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }, count);
}

function failIfBroken(run: LoadRun<unknown>, what: string): void {
  if (run.results.length === 0 || run.failures > run.results.length / 100) throw new Error(`${what}: ${run.failures} failures, first: ${run.firstFailure}`);
}

function level(label: string, run: LoadRun<number>, usage: Usage): RefreshLevel {
  failIfBroken(run, label);
  return { label, grants: run.results.length, failures: run.failures, ...(run.firstFailure ? { firstFailure: run.firstFailure } : {}), perSecond: run.perSecond, p50Ms: percentile(run.results, 0.5), p99Ms: percentile(run.results, 0.99),
    providerRssMaxBytes: usage.rss,
    providerCpuMsPerGrant: (1000 * usage.providerCpuSeconds) / run.results.length,
    redisCpuMsPerGrant: (1000 * usage.redisCpuSeconds) / run.results.length,
  };
}

/**
 * Refresh-token grants per second (private_key_jwt, new access token and rotated refresh token, no ID token) over
 * SESSIONS logged-in sessions with offline access, at saturation and at half that rate.
 * `providerNodeArgs` e.g. `--cpu-prof`.
 */
export async function runRefreshBenchmark(options: { providerNodeArgs?: string[]; tokenSigningAlg?: 'RS256' | 'ES256' } = {}): Promise<RefreshBenchmark> {
  const alg = options.tokenSigningAlg ?? 'RS256';
  const stack = await startLoginBenchStack(1, options.providerNodeArgs, { TOKEN_SIGNING_ALG: alg });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      const { refreshToken } = await runLogin(stack, await prepareLogin(stack, 'openid offline_access'), { offlineAccess: true });
      if (!refreshToken) throw new Error('no refresh token: offline_access was not granted');
      tokens.push(refreshToken);
    }
    const chains = new RefreshTokenChains(tokens);
    const work = (assertion: string) => refreshGrant(new URL('/token', stack.issuer), stack.rp.clientId, chains, assertion);
    failIfBroken(await closedLoop(await assertions(stack, 200), CONCURRENCY, work), 'warm-up');
    const calibration = await closedLoop(await assertions(stack, 600), CONCURRENCY, work);
    failIfBroken(calibration, 'calibration');

    const fullRequests = await assertions(stack, Math.round(calibration.perSecond * PHASE_SECONDS));
    const { run: full, usage: fullUsage } = await measured(stack, () => closedLoop(fullRequests, CONCURRENCY, work));
    const atFull = level('100% (saturated, closed loop)', full, fullUsage);
    const halfRate = full.perSecond / 2;
    const halfRequests = await assertions(stack, Math.round(halfRate * PHASE_SECONDS));
    const { run: half, usage: halfUsage } = await measured(stack, () => openLoop(halfRequests, halfRate, work));
    const atHalf = level(`50% (open loop at ${halfRate.toFixed(0)}/s)`, half, halfUsage);

    const crypto = refreshCrypto(alg);
    const floors = {
      bareKoa: await bareKoaFloor(1, full.results.length, CONCURRENCY),
      cryptoPerSecond: cryptoFloor(crypto),
      sameWork: await bareKoaFloor(1, full.results.length, CONCURRENCY, crypto),
    };
    const alternating = await alternateWithSameWork({ roundTrips: 1, concurrency: CONCURRENCY, work: crypto, units: ALTERNATING_PHASE_GRANTS, phases: ALTERNATING_PHASES }, async () => {
      const requests = await assertions(stack, ALTERNATING_PHASE_GRANTS);
      const { run, usage } = await measured(stack, () => closedLoop(requests, CONCURRENCY, work));
      failIfBroken(run, 'alternating phase');
      return (1000 * usage.providerCpuSeconds) / run.results.length;
    });
    const stockLibrary = await alternateStockWithItsFloor('grant', alg, { concurrency: CONCURRENCY, units: ALTERNATING_PHASE_GRANTS, phases: ALTERNATING_PHASES, sessions: SESSIONS });
    const result = { alg, crypto, levels: [atHalf, atFull], floors, alternating, stockLibrary };
    return { ...result, text: formatRefresh(result) };
  } finally {
    await stack.close();
  }
}

function formatRefresh(result: Omit<RefreshBenchmark, 'text'>): string {
  const full = result.levels[1]!;
  return [
    `Refresh-token grants (private_key_jwt, rotated refresh token, new access token, no ID token per the CIE profile), tokens signed ${result.alg}, one provider process, Redis, ${SESSIONS} sessions, ${CONCURRENCY} clients`,
    ...result.levels.map((l) => `${l.label}: ${l.perSecond.toFixed(0)} grants/s, p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms (${l.grants} grants, ${l.failures} failures${l.firstFailure ? `, first: ${l.firstFailure}` : ''}), provider RSS max ${(l.providerRssMaxBytes / 2 ** 20).toFixed(0)} MiB, CPU per grant: provider ${l.providerCpuMsPerGrant.toFixed(2)} ms (= ${(1000 / l.providerCpuMsPerGrant).toFixed(0)} grants/s per busy core), redis ${l.redisCpuMsPerGrant.toFixed(2)} ms`),
    `floor, one round trip to a bare koa route: ${result.floors.bareKoa.perSecond.toFixed(0)}/s → we reach ${((100 * full.perSecond) / result.floors.bareKoa.perSecond).toFixed(0)} %`,
    `floor, the same crypto with node:crypto (${describeCrypto(result.crypto)}): ${result.floors.cryptoPerSecond.toFixed(0)}/s on one core → we reach ${((100 * full.perSecond) / result.floors.cryptoPerSecond).toFixed(0)} %`,
    sameWorkLine('grant', full.perSecond, full.providerCpuMsPerGrant, result.floors.sameWork),
    alternatingLine('grant', result.alternating),
    stockLibraryLine('grant', `memory storage, opaque tokens, ID token signed ${result.alg}`, stockGrantCrypto(result.alg), result.stockLibrary),
  ].join('\n');
}
