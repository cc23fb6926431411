import { cpuUsage } from 'node:process';
import { providerOptions } from '../../src/config/options.js';
import { TrustChainCache } from '../../src/federation/trust-chain-cache.js';
import type { TrustChain } from '../../src/federation/trust-chain-resolver.js';
import { summarize, type Summary } from './statistics.js';

const ROUNDS = 7;
const CALLS_PER_ROUND = 20_000;

export interface CacheLookupComparison {
  /** CPU µs per call, one round each, alternating. */
  cacheGetUs: Summary;
  mapGetUs: Summary;
}

async function round(lookup: () => Promise<unknown>): Promise<number> {
  const cpu = cpuUsage();
  for (let i = 0; i < CALLS_PER_ROUND; i += 1) await lookup();
  const used = cpuUsage(cpu);
  return (used.user + used.system) / CALLS_PER_ROUND;
}

/**
 * The in-process part of a cached chain's cost: TrustChainCache.get on a warm entry (the provider's
 * settings: FEDERATION_CHAIN_MAX_AGE and FEDERATION_TRUST_MARK_STATUS_INTERVAL defaults, no disabled
 * list) against its floor, an awaited Map lookup of the same chain. The resolver is never called.
 */
export async function benchCachedLookup(chain: TrustChain): Promise<CacheLookupComparison> {
  const cache = new TrustChainCache({
    resolver: { resolve: async () => chain, recheckTrustMarks: async () => undefined },
    chainMaxAgeSeconds: Number(providerOptions.federationChainMaxAge.default),
    trustMarkStatusIntervalSeconds: Number(providerOptions.federationTrustMarkStatusInterval.default),
  });
  await cache.get(chain.subject);
  const map = new Map([[chain.subject, chain]]);
  const mapGet = async (subject: string) => map.get(subject);
  const cacheGetUs: number[] = [];
  const mapGetUs: number[] = [];
  await round(() => cache.get(chain.subject));
  await round(() => mapGet(chain.subject));
  for (let i = 0; i < ROUNDS; i += 1) {
    cacheGetUs.push(await round(() => cache.get(chain.subject)));
    mapGetUs.push(await round(() => mapGet(chain.subject)));
  }
  return { cacheGetUs: summarize(cacheGetUs), mapGetUs: summarize(mapGetUs) };
}
