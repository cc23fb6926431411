import type { Middleware } from 'koa';
import { loggerFor } from '../../shared/logger.js';
import type Provider from 'oidc-provider';
import type { AdapterFactory } from 'oidc-provider';
import { ConfigError, type ProviderConfig } from '../../config/config.js';
import { boundedFetcher, isLoopbackHost, type FederationFetcher } from '../bounded-fetch.js';
import { DisabledEntities } from '../disabled-entities.js';
import { loadTrustAnchors, type TrustAnchorSetting } from '../trust-anchors-file.js';
import { TrustChainCache } from '../trust-chain-cache.js';
import { TrustChainResolver } from '../trust-chain-resolver.js';
import type { ChainSource } from './chain-source.js';
import { withFederatedClients } from './federated-client-adapter.js';
import { loadFederationKeys } from './federation-keys.js';
import { loadTrustMarksFile } from './own-trust-marks.js';
import { providerEntityRoutes } from './provider-entity-routes.js';

/** What tests (an in-memory federation) and the bench replace; production uses the defaults. */
export interface FederationOpOverrides {
  fetcher?: FederationFetcher;
  /** Seconds since the epoch. */
  now?: () => number;
  log?: (event: Record<string, unknown>) => void;
}

export interface FederationOp {
  /** True when trust anchors are configured: RPs are then registered automatically (discovery says so). */
  automaticRegistration: boolean;
  anchors: TrustAnchorSetting[];
  /** The chain cache (undefined without trust anchors). */
  chains: ChainSource | undefined;
  /** oidc-provider's adapter with the `Client` model resolving unknown entity ids through the federation. */
  clientAdapter(base: AdapterFactory, staticClientIds: ReadonlySet<string>): AdapterFactory;
  /** The entity configuration and resolve routes (koa middlewares in front of oidc-provider's router). */
  routes(provider: Provider): Middleware[];
}

/**
 * Every federation fetch of the provider (RP entity configurations, the authority_hints walk, fetch
 * and trust-mark status endpoints, its own superiors): bounded in time and size, and — unless the
 * provider itself runs on a loopback host (local development) — never to a loopback host. Refusing
 * only loopback client_ids would not be enough: an RP's statement names the next URLs fetched.
 */
export function providerFederationFetcher(config: ProviderConfig): FederationFetcher {
  const { fetchTimeoutMs, fetchMaxBytes } = config.federation;
  return boundedFetcher({ timeoutMs: fetchTimeoutMs, maxBytes: fetchMaxBytes, allowLoopback: isLoopbackHost(new URL(config.issuer).hostname) });
}

/**
 * A provider on a public name fetches nothing on a loopback host (providerFederationFetcher): a trust
 * anchor or superior configured there could never be reached, so the start is refused with the
 * reason rather than every federated login failing later.
 */
function assertAnchorsReachable(issuer: string, entityIds: string[]): void {
  if (isLoopbackHost(new URL(issuer).hostname)) return;
  const local = entityIds.filter((id) => URL.canParse(id) && isLoopbackHost(new URL(id).hostname));
  if (local.length > 0) {
    throw new ConfigError('invalid_config', `trust anchors or authority hints on a loopback host (${local.join(', ')}) are unreachable for a provider whose ISSUER ${issuer} is not on one: federation fetches to loopback are refused (docs/federation.md)`);
  }
}

/**
 * The provider as a federation entity (docs/federation.md): its federation keys, its entity
 * configuration (always served, also with no federation configured: it is how an operator hands its
 * metadata and keys to a trust anchor for enrolment), the resolve endpoint, its own trust marks,
 * and — when FEDERATION_TRUST_ANCHORS is set — automatic registration through the chain cache.
 */
export async function createFederationOp(config: ProviderConfig, overrides: FederationOpOverrides = {}): Promise<FederationOp> {
  const settings = config.federation;
  const now = overrides.now ?? (() => Math.floor(Date.now() / 1000));
  const log = overrides.log ?? ((event: Record<string, unknown>) => loggerFor('federation').warn(event));
  const keys = await loadFederationKeys(config.keysDir, config.generateKeys);
  const anchors = settings.trustAnchorsFile ? await loadTrustAnchors(settings.trustAnchorsFile) : [];
  assertAnchorsReachable(config.issuer, anchors.map((anchor) => anchor.entityId).concat(settings.authorityHints));
  const fetcher = overrides.fetcher ?? providerFederationFetcher(config);
  const chains = anchors.length === 0 ? undefined : new TrustChainCache({
    resolver: new TrustChainResolver({
      anchors,
      fetcher,
      limits: { resolveTimeoutMs: settings.resolveTimeoutMs, maxAuthorityHints: settings.maxAuthorityHints },
      clockTolerance: config.clockToleranceSeconds,
      now,
      ...(overrides.log ? { log: overrides.log } : {}),
    }),
    chainMaxAgeSeconds: settings.chainMaxAgeSeconds,
    trustMarkStatusIntervalSeconds: settings.trustMarkStatusIntervalSeconds,
    ...(settings.disabledEntitiesFile ? { disabled: new DisabledEntities(settings.disabledEntitiesFile) } : {}),
    now,
  });
  const authorityHints = settings.authorityHints.length > 0 ? settings.authorityHints : anchors.map((anchor) => anchor.entityId);
  const fixedMarks = settings.trustMarksFile ? await loadTrustMarksFile(settings.trustMarksFile, config.issuer) : undefined;

  return {
    automaticRegistration: chains !== undefined,
    anchors,
    chains,
    clientAdapter: (base, staticClientIds) => {
      if (!chains) return base;
      return withFederatedClients(base, {
        chains,
        legacyRequestObjects: (trustAnchor) => anchors.find((anchor) => anchor.entityId === trustAnchor)?.legacyRequestObjects ?? false,
        staticClientIds,
        allowLoopback: isLoopbackHost(new URL(config.issuer).hostname),
        log,
      });
    },
    routes: (provider) => providerEntityRoutes({ config, provider, keys, anchors, chains, authorityHints, fixedMarks, fetcher, now, log }),
  };
}
