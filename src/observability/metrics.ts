import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PreboundHistogram } from './prebound-histogram.js';

/**
 * Every metric of the provider, in one registry of its own (not prom-client's global one), served by
 * metrics-server.ts on its own port. docs/operations.md lists each with an example query. Labels take
 * only values from closed sets (methods, levels, error codes, model names): never an RP, a citizen or
 * a URL, so the number of series stays bounded whatever the traffic.
 */
export const metricsRegistry = new Registry();

const SECONDS_FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SECONDS_SLOW = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The labels of a card sign-in: the card gives level 3 (SpidL3) and nothing else. */
export const CARD_SIGN_IN = { method: 'card', level: 'SpidL3' } as const;

export const signIns = new Counter({
  name: 'cie_sign_ins_total',
  help: 'Sign-in attempts that reached the verifier or were cancelled at the bridge, by method (card), level (SpidL3) and outcome (success, refused, unavailable, cancelled).',
  labelNames: ['method', 'level', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const verifierDuration = new Histogram({
  name: 'cie_verifier_duration_seconds',
  help: 'Time to verify one card assertion (the whole validator chain, revocation included), by outcome.',
  labelNames: ['outcome'] as const,
  buckets: SECONDS_FAST,
  registers: [metricsRegistry],
});

export const verifierRefusals = new Counter({
  name: 'cie_verifier_refusals_total',
  help: 'Card assertions refused, by error code (docs/verification.md).',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

export const revocationFetches = new Counter({
  name: 'cie_revocation_fetches_total',
  help: 'Requests to an OCSP responder or CRL distribution point, by source (ocsp, crl) and outcome (ok or the error code).',
  labelNames: ['source', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const revocationFetchDuration = new Histogram({
  name: 'cie_revocation_fetch_duration_seconds',
  help: 'Time of one OCSP or CRL request, answer checked, by source.',
  labelNames: ['source'] as const,
  buckets: SECONDS_SLOW,
  registers: [metricsRegistry],
});

export const revocationCacheHits = new Counter({
  name: 'cie_revocation_cache_hits_total',
  help: 'Revocation checks answered from the cache (a good OCSP answer or a CRL younger than OCSP_CACHE_MAX_AGE), by source.',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

// Observed at every storage call and every request: label sets bound once (prebound-histogram.ts).
export const storageDuration = new PreboundHistogram({
  name: 'cie_storage_operation_duration_seconds',
  help: 'Time of one storage call, by backend (memory, redis), store (state or the oidc-provider model) and operation.',
  labelNames: ['backend', 'store', 'operation'] as const,
  buckets: SECONDS_FAST,
  registers: [metricsRegistry],
});

export const storageErrors = new Counter({
  name: 'cie_storage_errors_total',
  help: 'Storage calls that failed, by backend, store and error code (storage_unavailable: answered 503).',
  labelNames: ['backend', 'store', 'code'] as const,
  registers: [metricsRegistry],
});

export const rateLimitHits = new Counter({
  name: 'cie_rate_limit_hits_total',
  help: 'Requests answered 429 by a sign-in rate limit, by limit (too_many_requests, too_many_challenges, too_many_failures).',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

export const registryWriteDuration = new Histogram({
  name: 'cie_registry_write_duration_seconds',
  help: 'Time to write one access-registry record durably (PostgreSQL or PGlite), by record kind and outcome (ok, error).',
  labelNames: ['kind', 'outcome'] as const,
  buckets: SECONDS_FAST,
  registers: [metricsRegistry],
});

export const registryWriteErrors = new Counter({
  name: 'cie_registry_write_errors_total',
  help: 'Access-registry writes that failed, by record kind and error code (the login then answers 503).',
  labelNames: ['kind', 'code'] as const,
  registers: [metricsRegistry],
});

/** Each kind's and outcome's histogram child, looked up once: four registry writes per login. */
const registryWriteChildren = new Map<string, ReturnType<typeof registryWriteDuration.labels>>();

function registryWriteTimer(kind: string, outcome: 'ok' | 'error'): ReturnType<typeof registryWriteDuration.labels> {
  const key = `${kind}|${outcome}`;
  let child = registryWriteChildren.get(key);
  if (!child) {
    child = registryWriteDuration.labels({ kind, outcome });
    registryWriteChildren.set(key, child);
  }
  return child;
}

/** The access registry's one write path (AccessRegistry's append) measured: time by outcome, failures by code. */
export async function measuredRegistryWrite<T>(kind: string, write: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const written = await write();
    registryWriteTimer(kind, 'ok').observe(secondsSince(started));
    return written;
  } catch (error) {
    registryWriteTimer(kind, 'error').observe(secondsSince(started));
    const code = (error as { code?: unknown } | undefined)?.code;
    registryWriteErrors.inc({ kind, code: typeof code === 'string' ? code : 'internal_error' });
    throw error;
  }
}

export const federationResolutions = new Counter({
  name: 'cie_federation_resolutions_total',
  help: 'Trust-chain resolutions of relying parties, by outcome (ok or the federation error code).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const federationResolutionDuration = new Histogram({
  name: 'cie_federation_resolution_duration_seconds',
  help: 'Time of one trust-chain resolution, every fetch included, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: SECONDS_SLOW,
  registers: [metricsRegistry],
});

export const federationChainCache = new Counter({
  name: 'cie_federation_chain_cache_total',
  help: 'Trust-chain lookups, by result: hit (a cached chain used) or miss (resolved again).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const httpRequests = new PreboundHistogram({
  name: 'cie_http_request_duration_seconds',
  help: 'Time to answer one HTTP request, by service and status class (2xx, 3xx, 4xx, 5xx).',
  labelNames: ['service', 'status_class'] as const,
  buckets: SECONDS_FAST,
  registers: [metricsRegistry],
});

export const breachedPasswordChecks = new Counter({
  name: 'cie_breached_password_checks_total',
  help: 'Passwords being chosen looked up in a list of breached passwords, by source (file, range_api) and outcome (hit, miss, unavailable: accepted, fail open).',
  labelNames: ['source', 'outcome'] as const,
  registers: [metricsRegistry],
});

let processMetrics = false;

/** Node.js process metrics (CPU, memory, event-loop lag) under `cie_process_`/`cie_nodejs_`; once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'cie_' });
}

/** Seconds since `started` (process.hrtime.bigint()). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
