import { BoundedCache } from '../shared/bounded-cache.js';
import { federationChainCache } from '../observability/metrics.js';
import { FederationError, type FederationErrorCode } from './federation-error.js';
import type { TrustChain } from './trust-chain-resolver.js';

/** What the cache needs of a resolver (TrustChainResolver; tests may count calls). */
export interface ChainResolver {
  resolve(subject: string, options?: { trustAnchor?: string }): Promise<TrustChain>;
  recheckTrustMarks(chain: TrustChain): Promise<void>;
}

export interface TrustChainCacheOptions {
  resolver: ChainResolver;
  /** Longest use of a chain, seconds, however late its statements expire. */
  chainMaxAgeSeconds: number;
  /** Longest reuse of the required trust mark's status, seconds (0: asked at every get). */
  trustMarkStatusIntervalSeconds: number;
  /** Chains kept at most (oldest evicted first). Default 10 000. */
  maxEntries?: number;
  /** How long a failed resolution is answered from memory, seconds. Default NEGATIVE_TTL_SECONDS. */
  negativeTtlSeconds?: number;
  /** The same for a failure of the network (TRANSIENT codes), seconds. Default TRANSIENT_NEGATIVE_TTL_SECONDS. */
  transientNegativeTtlSeconds?: number;
  /** Resolutions running at once at most, over all keys (default MAX_CONCURRENT_RESOLUTIONS); beyond, resolver_busy. */
  maxConcurrentResolutions?: number;
  /** Operator's switch: disabled entities are refused before anything is fetched. */
  disabled?: { has(entityId: string): boolean };
  /** Seconds since the epoch. */
  now?: () => number;
}

/** A chain is refreshed in the background once less than this share of its life is left. */
export const REFRESH_WHEN_LEFT = 0.2;
/**
 * A failed resolution is answered from memory this long: long enough that an RP sending requests in a
 * loop costs one resolution a minute, short enough that an RP fixing its configuration is not kept out.
 */
export const NEGATIVE_TTL_SECONDS = 60;
/**
 * A failed resolution whose cause was the network (TRANSIENT: a timeout, an unreachable or failing
 * server, a status endpoint that did not answer) is remembered only this long: one dropped packet
 * must not keep a legitimate RP out for the whole negative TTL. It still spares the network a
 * resolution per request from an RP (or a made-up client_id) sending requests in a loop.
 */
export const TRANSIENT_NEGATIVE_TTL_SECONDS = 5;
/**
 * Distinct RPs resolved at the same time at most: a flood of made-up client_ids costs at most this
 * many resolutions in flight (each bounded by resolveTimeoutMs); the others are refused at once.
 */
export const MAX_CONCURRENT_RESOLUTIONS = 32;

/** Failures of the network rather than of the chain: a cached chain outlives them until its own expiry. */
const TRANSIENT: FederationErrorCode[] = ['fetch_failed', 'fetch_timeout', 'resolve_timeout', 'trust_mark_status_unavailable'];

interface Entry {
  chain: TrustChain;
  expiresAt: number;
  refreshAt: number;
  /** When the required trust mark was last answered active. */
  statusCheckedAt: number;
  /** After a status ask failed on the network (within the grace): not asked again before then. */
  statusRetryAt?: number;
}

/**
 * Resolved trust chains per (subject, anchor) — the profile's "store the chain with exp = min exp,
 * rebuild on expiry" (italia/spid-cie-oidc-docs trust_negotiation.rst) with the bounds a public
 * endpoint needs: one resolution in flight per key, background refresh before expiry, the required
 * trust mark's status re-checked every trustMarkStatusIntervalSeconds, a short negative cache, a
 * bounded number of entries, and the operator's disabled list checked first. docs/federation.md.
 */
export class TrustChainCache {
  private readonly entries: BoundedCache<Entry>;
  private readonly failures: BoundedCache<FederationError>;
  private readonly inFlight = new Map<string, Promise<TrustChain>>();
  private readonly statusChecks = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: TrustChainCacheOptions) {
    this.entries = new BoundedCache(options.maxEntries ?? 10_000);
    this.failures = new BoundedCache(options.maxEntries ?? 10_000);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** A usable chain for `subject` (under `trustAnchor`, or any configured anchor), resolving it when needed. */
  async get(subject: string, trustAnchor?: string): Promise<TrustChain> {
    if (this.options.disabled?.has(subject)) throw new FederationError('entity_disabled', `${subject} is disabled by the operator`);
    const key = keyOf(subject, trustAnchor);
    const now = this.now();
    const entry = this.entries.get(key, now);
    federationChainCache.inc({ result: entry ? 'hit' : 'miss' });
    if (entry) {
      if (now >= entry.refreshAt) this.resolveOnce(key, subject, trustAnchor).catch(() => undefined);
      await this.checkStatusIfDue(key, entry, now);
      return entry.chain;
    }
    const failure = this.failures.get(key, now);
    if (failure) throw new FederationError(failure.code, failure.message, failure.details);
    return this.resolveOnce(key, subject, trustAnchor);
  }

  /** The chain if it is cached and usable now, without any fetch (the resolve endpoint answers only these). */
  cached(subject: string, trustAnchor?: string): TrustChain | undefined {
    if (this.options.disabled?.has(subject)) return undefined;
    const now = this.now();
    const exact = this.entries.get(keyOf(subject, trustAnchor), now)?.chain;
    if (exact || trustAnchor === undefined) return exact;
    const any = this.entries.get(keyOf(subject, undefined), now)?.chain;
    return any?.trustAnchor === trustAnchor ? any : undefined;
  }

  /** One resolution per key at a time: concurrent callers share its promise. */
  private resolveOnce(key: string, subject: string, trustAnchor: string | undefined): Promise<TrustChain> {
    const running = this.inFlight.get(key);
    if (running) return running;
    if (this.inFlight.size >= (this.options.maxConcurrentResolutions ?? MAX_CONCURRENT_RESOLUTIONS)) {
      return Promise.reject(new FederationError('resolver_busy', 'too many trust chains being resolved; try again shortly'));
    }
    const resolution = this.options.resolver
      .resolve(subject, trustAnchor === undefined ? {} : { trustAnchor })
      .then(
        (chain) => {
          this.store(key, chain);
          return chain;
        },
        (error: unknown) => {
          this.forget(key, error);
          throw error;
        },
      )
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, resolution);
    return resolution;
  }

  private store(key: string, chain: TrustChain): void {
    const expiresAt = Math.min(chain.exp, chain.resolvedAt + this.options.chainMaxAgeSeconds);
    const refreshAt = expiresAt - Math.floor((expiresAt - chain.resolvedAt) * REFRESH_WHEN_LEFT);
    this.failures.delete(key);
    this.entries.set(key, { chain, expiresAt, refreshAt, statusCheckedAt: chain.resolvedAt }, expiresAt);
  }

  /**
   * After a failed resolution or status check: a failure of the chain itself (bad signature, revoked
   * trust mark…) drops the cached chain; a network failure keeps it until its own expiry. Either way
   * the failure is remembered, unless a usable chain is still cached: for the negative TTL, or — a
   * network failure — for the much shorter transient one.
   */
  private forget(key: string, error: unknown): void {
    const code = error instanceof FederationError ? error.code : undefined;
    const transient = code !== undefined && TRANSIENT.includes(code);
    if (!transient) this.entries.delete(key);
    if (error instanceof FederationError && !this.entries.get(key, this.now())) {
      const ttl = transient ? (this.options.transientNegativeTtlSeconds ?? TRANSIENT_NEGATIVE_TTL_SECONDS) : (this.options.negativeTtlSeconds ?? NEGATIVE_TTL_SECONDS);
      this.failures.set(key, error, this.now() + ttl);
    }
  }

  /**
   * The required trust mark's status, asked again once the interval has passed (one ask per key at a
   * time). An answer other than active (revoked…) refuses at once. An ask that fails on the network
   * (TRANSIENT: the issuer slow or briefly unreachable) does not refuse the logins waiting on it while
   * the last active answer is less than two intervals old: that answer stands, and the issuer is
   * asked again TRANSIENT_NEGATIVE_TTL_SECONDS later. Past two intervals without an answer, logins
   * are refused (fail closed). A revocation the issuer reports is thus still acted on within one interval.
   */
  private async checkStatusIfDue(key: string, entry: Entry, now: number): Promise<void> {
    const interval = this.options.trustMarkStatusIntervalSeconds;
    if (!entry.chain.requiredTrustMark || now - entry.statusCheckedAt < interval) return;
    const withinGrace = (at: number) => at - entry.statusCheckedAt < 2 * interval;
    if (entry.statusRetryAt !== undefined && now < entry.statusRetryAt && withinGrace(now)) return;
    let check = this.statusChecks.get(key);
    if (!check) {
      check = this.options.resolver
        .recheckTrustMarks(entry.chain)
        .then(
          () => {
            entry.statusCheckedAt = this.now();
            delete entry.statusRetryAt;
          },
          (error: unknown) => {
            const at = this.now();
            if (error instanceof FederationError && TRANSIENT.includes(error.code) && withinGrace(at)) {
              entry.statusRetryAt = at + (this.options.transientNegativeTtlSeconds ?? TRANSIENT_NEGATIVE_TTL_SECONDS);
              return;
            }
            this.forget(key, error);
            throw error;
          },
        )
        .finally(() => this.statusChecks.delete(key));
      this.statusChecks.set(key, check);
    }
    await check;
  }
}

function keyOf(subject: string, trustAnchor: string | undefined): string {
  return JSON.stringify([subject, trustAnchor ?? null]);
}
