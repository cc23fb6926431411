import type { EntityStatementClaims } from '../entity-statement.js';
import { resolveChainMetadata } from '../policy/index.js';
import { decodeUnverified } from '../statement-verification.js';
import type { TrustChain } from './chain-source.js';
import type { AnchorLink, OwnTrustMark } from './own-trust-marks.js';

/**
 * The provider's own trust chain under an anchor it sits directly below (the CIE rule for OPs: no
 * intermediates), for its resolve endpoint: its current entity configuration, the anchor's statement
 * about it and the anchor's entity configuration — all already fetched and verified when its own trust
 * marks were (own-trust-marks.ts), so answering costs no fetch. Metadata: the anchor's policy applied
 * to the provider's. Undefined when that policy does not apply (the answer is then not_found).
 */
export function ownTrustChain(input: { issuer: string; entityConfiguration: string; link: AnchorLink; trustMarks: OwnTrustMark[]; resolvedAt: number }): TrustChain | undefined {
  const own = decodeUnverified(input.entityConfiguration).claims as unknown as EntityStatementClaims;
  let metadata;
  try {
    metadata = resolveChainMetadata(own.metadata ?? {}, [input.link.statement.claims]);
  } catch {
    return undefined;
  }
  return {
    subject: input.issuer,
    trustAnchor: input.link.anchor.claims.sub,
    statements: [input.entityConfiguration, input.link.statement.jwt, input.link.anchor.jwt],
    metadata,
    trustMarks: input.trustMarks.map((mark) => ({ type: mark.type, issuer: String(decodeUnverified(mark.jwt).claims.iss), subject: input.issuer, jwt: mark.jwt, ...(mark.exp === undefined ? {} : { exp: mark.exp }) })),
    exp: Math.min(own.exp, input.link.statement.claims.exp, input.link.anchor.claims.exp),
    resolvedAt: input.resolvedAt,
  };
}
