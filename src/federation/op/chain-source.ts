import type { TrustChainCache } from '../trust-chain-cache.js';

export type { TrustChain } from '../trust-chain-resolver.js';

/**
 * What the provider needs of the trust chain cache (src/federation/trust-chain-cache.ts): `get`
 * resolves when nothing usable is cached (one resolution in flight per subject and anchor, disabled
 * entities refused), `cached` never fetches. Automatic registration uses `get`; the resolve endpoint
 * only `cached` (profile rule: no discovery per resolve request). Tests may pass a double.
 */
export type ChainSource = Pick<TrustChainCache, 'get' | 'cached'>;
