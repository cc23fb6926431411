import type { FederationFetcher } from './bounded-fetch.js';
import type { EntityStatementClaims, FederationJwks } from './entity-statement.js';
import { FederationError } from './federation-error.js';
import { JOSE_TYPES, MEDIA_TYPES, entityConfigurationUrl } from './media-types.js';
import { assertJwks, decodeUnverified, verifyFederationJwt } from './statement-verification.js';

/** A statement whose signature and claims have been checked, with the JWT as received (for trust_chain). */
export interface VerifiedStatement {
  jwt: string;
  claims: EntityStatementClaims;
}

export interface StatementClock {
  now: number;
  clockTolerance: number;
}

async function fetchStatementJwt(fetcher: FederationFetcher, url: string): Promise<string> {
  const { body } = await fetcher(url, { accept: MEDIA_TYPES.entityStatement });
  return body.trim();
}

function assertParties(claims: EntityStatementClaims, issuer: string, subject: string): void {
  if (claims.iss !== issuer) throw new FederationError('statement_wrong_issuer', `iss ${String(claims.iss)}, expected ${issuer}`);
  if (claims.sub !== subject) throw new FederationError('statement_wrong_subject', `sub ${String(claims.sub)}, expected ${subject}`);
}

/**
 * An entity configuration verified as self-signed (iss = sub = the entity, signed with a key of its
 * own `jwks`), or — for a trust anchor — with the keys the operator configured (`trustedJwks`).
 */
export async function verifyEntityConfiguration(jwt: string, entityId: string, clock: StatementClock, trustedJwks?: FederationJwks): Promise<VerifiedStatement> {
  const ownJwks = assertJwks(decodeUnverified(jwt).claims.jwks, `entity configuration of ${entityId}`);
  const claims = await verifyFederationJwt<EntityStatementClaims>(jwt, trustedJwks ?? ownJwks, { typ: JOSE_TYPES.entityStatement, ...clock });
  assertParties(claims, entityId, entityId);
  return { jwt, claims };
}

/** Fetches `<entity>/.well-known/openid-federation` and verifies it (see verifyEntityConfiguration). */
export async function fetchEntityConfiguration(fetcher: FederationFetcher, entityId: string, clock: StatementClock, trustedJwks?: FederationJwks): Promise<VerifiedStatement> {
  const jwt = await fetchStatementJwt(fetcher, entityConfigurationUrl(entityId));
  return verifyEntityConfiguration(jwt, entityId, clock, trustedJwks);
}

/** The superior's `federation_fetch_endpoint`, or undefined when it publishes none. */
export function fetchEndpointOf(superior: EntityStatementClaims): string | undefined {
  const endpoint = superior.metadata?.federation_entity?.federation_fetch_endpoint;
  return typeof endpoint === 'string' ? endpoint : undefined;
}

/**
 * The superior's statement about `subject`, from its fetch endpoint (`?sub=`), verified with the
 * superior's current keys (its entity configuration's `jwks`): iss = the superior, sub = the subject.
 */
export async function fetchSubordinateStatement(fetcher: FederationFetcher, superior: VerifiedStatement, subject: string, clock: StatementClock): Promise<VerifiedStatement> {
  const endpoint = fetchEndpointOf(superior.claims);
  if (!endpoint) throw new FederationError('no_path_to_trust_anchor', `${superior.claims.sub} publishes no federation_fetch_endpoint`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    // A statement anyone may write: its bad value is a refusal of the chain, not an internal error (HTTP 500).
    throw new FederationError('statement_malformed', `${superior.claims.sub} publishes a federation_fetch_endpoint that is not a URL`, {}, { cause: error });
  }
  url.searchParams.set('sub', subject);
  const jwt = await fetchStatementJwt(fetcher, url.toString());
  const claims = await verifyFederationJwt<EntityStatementClaims>(jwt, superior.claims.jwks, { typ: JOSE_TYPES.entityStatement, ...clock });
  assertParties(claims, superior.claims.sub, subject);
  assertJwks(claims.jwks, `statement of ${superior.claims.sub} about ${subject}`);
  return { jwt, claims };
}
