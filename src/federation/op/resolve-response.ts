import type { EntityMetadata, TrustMarkEntry } from '../entity-statement.js';
import type { TrustChain } from './chain-source.js';

/**
 * The claims of a resolve answer (OpenID Federation 1.0 § "Resolve Response"): the resolved
 * metadata (only the entity types asked for, when some were), the trust marks still valid at `now`
 * (the profile: never one invalid at request time), and the chain itself. `exp` never outlives the
 * chain it reports on.
 */
export function resolveResponseClaims(input: { issuer: string; chain: TrustChain; entityTypes: string[]; now: number; lifetimeSeconds: number }): Record<string, unknown> {
  const { chain, entityTypes, now } = input;
  const metadata: EntityMetadata = entityTypes.length === 0
    ? chain.metadata
    : Object.fromEntries(Object.entries(chain.metadata).filter(([type]) => entityTypes.includes(type)));
  const trustMarks: TrustMarkEntry[] = chain.trustMarks
    .filter((mark) => mark.exp === undefined || mark.exp > now)
    .map((mark) => ({ trust_mark_type: mark.type, trust_mark_id: mark.type, id: mark.type, trust_mark: mark.jwt }));
  return {
    iss: input.issuer,
    sub: chain.subject,
    iat: now,
    exp: Math.min(chain.exp, now + input.lifetimeSeconds),
    metadata,
    trust_marks: trustMarks,
    trust_chain: chain.statements,
  };
}
