import type * as client from 'openid-client';
import { authorizationUrl, discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import type { RelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { httpRequest } from './login-http.js';
import type { LoginBenchStack } from './login-stack.js';
import { summarize, type Summary } from './statistics.js';

const SCOPE = 'openid profile email';
/** Phases of each RP, alternating; each phase sends its requests one at a time. */
const PHASES = 12;
const PER_PHASE = 100;
const TIME_BOUND_MS = 240_000;

interface BenchRp {
  config: client.Configuration;
  redirectUri: string;
}

export interface AuthorizeSide {
  wallMs: Summary;
  /** Provider CPU per request of each phase (/proc, 10 ms ticks over a phase). */
  cpuMsPerRequest: Summary;
}

export interface AuthorizeComparison {
  /** The federated RP's first request: the provider resolves its chain before answering. */
  firstFederatedMs: number;
  phases: number;
  perPhase: number;
  staticRp: AuthorizeSide;
  federatedRp: AuthorizeSide;
  /** Per pair of neighbouring phases: federated − static provider CPU per request, and federated ÷ static. */
  cpuDifferenceMs: Summary;
  cpuRatio: Summary;
}

/** GET /auth with a signed request object, up to the 303 to the login page (no cookies: a new browser each time). */
async function authorize(url: URL): Promise<number> {
  const start = performance.now();
  const answer = await httpRequest(url, { headers: { accept: 'text/html' } });
  const wallMs = performance.now() - start;
  if (answer.status !== 303 || !/^\/interaction\/[^/]+$/.test(new URL(answer.location ?? '/', url).pathname)) {
    throw new Error(`authorization request of ${url.searchParams.get('client_id')}: HTTP ${answer.status} to ${answer.location ?? 'nowhere'}, expected 303 to the login page: ${answer.body.slice(0, 300)}`);
  }
  return wallMs;
}

async function phase(stack: LoginBenchStack, rp: BenchRp, keys: RelyingPartyKeys): Promise<{ wallMs: number[]; cpuMsPerRequest: number }> {
  // Request objects are signed before the phase: the RP's work, not the provider's.
  const urls = [];
  for (let i = 0; i < PER_PHASE; i += 1) urls.push((await authorizationUrl(rp.config, rp.redirectUri, keys, SCOPE)).url);
  const cpu = stack.provider.cpuSeconds();
  const wallMs = [];
  for (const url of urls) wallMs.push(await authorize(url));
  return { wallMs, cpuMsPerRequest: (1000 * (stack.provider.cpuSeconds() - cpu)) / urls.length };
}

/**
 * The per-request cost of an RP known through federation once its chain is cached: the same
 * authorization request (same keys, same metadata, request object signed the same way) from the
 * static RP of CLIENTS_FILE and from an RP registered automatically, in alternating phases against
 * one provider process.
 */
export async function benchCachedChainAuthorize(stack: LoginBenchStack, federatedEntityId: string): Promise<AuthorizeComparison> {
  const keys = stack.rp.keys;
  const staticRp: BenchRp = { config: stack.rp.config, redirectUri: stack.rp.redirectUri };
  const federatedMetadata = relyingPartyMetadata(federatedEntityId, 'Comune di Esempio', keys);
  const federatedRp: BenchRp = { config: await discoverProvider(stack.issuer, federatedMetadata, keys), redirectUri: `${federatedEntityId}/callback` };

  const firstFederatedMs = await authorize((await authorizationUrl(federatedRp.config, federatedRp.redirectUri, keys, SCOPE)).url);
  for (let i = 0; i < 20; i += 1) {
    await authorize((await authorizationUrl(staticRp.config, staticRp.redirectUri, keys, SCOPE)).url);
    await authorize((await authorizationUrl(federatedRp.config, federatedRp.redirectUri, keys, SCOPE)).url);
  }

  const samples = { static: { wall: [] as number[], cpu: [] as number[] }, federated: { wall: [] as number[], cpu: [] as number[] } };
  const started = performance.now();
  let phases = 0;
  for (; phases < PHASES && performance.now() - started < TIME_BOUND_MS; phases += 1) {
    const order = phases % 2 === 0 ? (['static', 'federated'] as const) : (['federated', 'static'] as const);
    for (const which of order) {
      const result = await phase(stack, which === 'static' ? staticRp : federatedRp, keys);
      samples[which].wall.push(...result.wallMs);
      samples[which].cpu.push(result.cpuMsPerRequest);
    }
  }
  const pairs = samples.static.cpu.map((staticCpu, index) => ({ staticCpu, federatedCpu: samples.federated.cpu[index]! }));
  return {
    firstFederatedMs,
    phases,
    perPhase: PER_PHASE,
    staticRp: { wallMs: summarize(samples.static.wall), cpuMsPerRequest: summarize(samples.static.cpu) },
    federatedRp: { wallMs: summarize(samples.federated.wall), cpuMsPerRequest: summarize(samples.federated.cpu) },
    cpuDifferenceMs: summarize(pairs.map((pair) => pair.federatedCpu - pair.staticCpu)),
    cpuRatio: summarize(pairs.map((pair) => pair.federatedCpu / pair.staticCpu)),
  };
}
