import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { ProviderConfig } from '../../config/config.js';
import { issuerDiscoveryMetadata } from '../../oidc/discovery-metadata.js';
import type { FederationFetcher } from '../bounded-fetch.js';
import { signFederationJwt } from '../entity-statement.js';
import { JOSE_TYPES } from '../media-types.js';
import type { TrustAnchorSetting } from '../trust-anchors-file.js';
import type { ChainSource } from './chain-source.js';
import { entityConfigurationRoute } from './entity-configuration-route.js';
import type { FederationKeys } from './federation-keys.js';
import { HalfLifeStatement } from './half-life-statement.js';
import { opEntityConfigurationClaims } from './op-entity-configuration.js';
import { ownTrustChain } from './own-chain.js';
import { fetchTrustMarksFromSuperiors, OwnTrustMarks, trustMarkEntry, type AnchorLink, type OwnTrustMark } from './own-trust-marks.js';
import { resolveRoute } from './resolve-route.js';

/** How often the trust marks the superiors carry about the provider are fetched again, at most (seconds). */
export const OWN_TRUST_MARKS_REFRESH_SECONDS = 3600;

export interface ProviderEntityInput {
  config: ProviderConfig;
  provider: Provider;
  keys: FederationKeys;
  anchors: TrustAnchorSetting[];
  chains: ChainSource | undefined;
  authorityHints: string[];
  /** FEDERATION_TRUST_MARKS, when set. */
  fixedMarks: OwnTrustMark[] | undefined;
  fetcher: FederationFetcher;
  now: () => number;
  log: (event: Record<string, unknown>) => void;
}

/**
 * The routes of the provider as a federation entity: its entity configuration (signed at half life,
 * with its own trust marks — the file's, or the superiors' refreshed in the background — and the
 * discovery document of `provider`) and the resolve endpoint (cached chains, and its own chain from
 * what the trust-mark refresh fetched).
 */
export function providerEntityRoutes(input: ProviderEntityInput): Middleware[] {
  const { config, provider, keys, anchors, chains, authorityHints, fixedMarks, fetcher, now, log } = input;
  let statement: HalfLifeStatement | undefined;
  let anchorLinks: AnchorLink[] = [];
  let linksFetchedAt = 0;
  const ownMarks = new OwnTrustMarks(
    fixedMarks !== undefined || authorityHints.length === 0
      ? { fixed: fixedMarks ?? [] }
      : {
          fetch: async () => {
            const links: AnchorLink[] = [];
            const marks = await fetchTrustMarksFromSuperiors({ issuer: config.issuer, superiors: authorityHints, anchors, fetcher, clockTolerance: config.clockToleranceSeconds, now }, links);
            [anchorLinks, linksFetchedAt] = [links, now()];
            return marks;
          },
          refreshSeconds: Math.min(OWN_TRUST_MARKS_REFRESH_SECONDS, Math.floor(config.federation.statementLifetimeSeconds / 2)),
        },
    () => statement?.invalidate(),
    log,
    now,
  );
  statement = new HalfLifeStatement(async (at) => {
    const marks = await ownMarks.current();
    const claims = opEntityConfigurationClaims({
      issuer: config.issuer,
      now: at,
      lifetimeSeconds: config.federation.statementLifetimeSeconds,
      federationJwks: keys.publicJwks,
      discovery: issuerDiscoveryMetadata(provider),
      entity: config.federation.entity,
      authorityHints,
      trustMarks: marks.map(trustMarkEntry),
    });
    const firstMarkExpiry = Math.min(...marks.map((mark) => mark.exp ?? Infinity));
    return { jwt: await signFederationJwt(claims, keys.signing, JOSE_TYPES.entityStatement), iat: claims.iat, exp: claims.exp, renewAt: firstMarkExpiry };
  }, now);
  const currentStatement = statement;
  const currentEntityConfiguration = async () => {
    // Starts a background refresh of the superiors' trust marks when due (a change re-signs).
    await ownMarks.current();
    return (await currentStatement.current()).jwt;
  };
  return [
    entityConfigurationRoute(config.issuer, currentEntityConfiguration),
    resolveRoute({
      issuer: config.issuer,
      chains,
      ownChain: async (trustAnchor) => {
        // The first call waits for the first round of the superiors' fetch, which finds the links.
        const marks = await ownMarks.current();
        const link = anchorLinks.find((candidate) => candidate.anchor.claims.sub === trustAnchor);
        if (!link) return undefined;
        return ownTrustChain({ issuer: config.issuer, entityConfiguration: await currentEntityConfiguration(), link, trustMarks: marks, resolvedAt: linksFetchedAt });
      },
      trustAnchors: anchors.map((anchor) => anchor.entityId),
      signingKey: keys.signing,
      lifetimeSeconds: config.federation.statementLifetimeSeconds,
      now,
    }),
  ];
}
