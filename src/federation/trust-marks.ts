import { trustMarkIssuersOf, trustMarkTypeOf, type EntityStatementClaims, type FederationJwks } from './entity-statement.js';
import type { StatementClock, VerifiedStatement } from './entity-statements-fetch.js';
import { FederationError, type FederationErrorCode } from './federation-error.js';
import { JOSE_TYPES } from './media-types.js';
import { decodeUnverified, verifyFederationJwt } from './statement-verification.js';

/** Where and how a trust mark's status is asked: the final endpoint (POST trust_mark) or the legacy one (POST sub + id). */
export interface TrustMarkStatusSource {
  endpoint: string;
  legacy: boolean;
  /** The issuer's federation keys, which sign a final-form status answer. */
  issuerJwks: FederationJwks;
}

export interface VerifiedTrustMark {
  type: string;
  issuer: string;
  subject: string;
  exp?: number;
  jwt: string;
  /** Absent when the issuer publishes no status endpoint: the mark is then valid on its signature and exp alone. */
  status?: TrustMarkStatusSource;
}

export interface TrustMarkContext {
  /** The entity the trust mark must be about (its `sub`). */
  subject: string;
  /** The trust anchor's entity configuration, already verified with the configured anchor keys. */
  anchor: VerifiedStatement;
  /** Fetches and verifies a trust-mark issuer's entity configuration (not called for the anchor). */
  issuerConfiguration: (issuer: string) => Promise<VerifiedStatement>;
  clock: StatementClock;
}

/** Trust marks read from one entity configuration at most (a hostile RP cannot make us verify hundreds). */
export const MAX_TRUST_MARKS_READ = 8;

const STATEMENT_TO_TRUST_MARK: Partial<Record<FederationErrorCode, FederationErrorCode>> = {
  statement_expired: 'trust_mark_expired',
};

/** The issuers the anchor recognises for a type: those in its trust_mark_issuers (or the legacy trust_marks_issuers), and itself. */
export function isRecognisedIssuer(anchor: EntityStatementClaims, type: string, issuer: string): boolean {
  return issuer === anchor.sub || (trustMarkIssuersOf(anchor)[type] ?? []).includes(issuer);
}

function statusSourceOf(issuer: EntityStatementClaims): TrustMarkStatusSource | undefined {
  const entity = issuer.metadata?.federation_entity ?? {};
  const final = entity.federation_trust_mark_status_endpoint;
  if (typeof final === 'string') return { endpoint: final, legacy: false, issuerJwks: issuer.jwks };
  const legacy = entity.federation_status_endpoint;
  if (typeof legacy === 'string') return { endpoint: legacy, legacy: true, issuerJwks: issuer.jwks };
  return undefined;
}

/**
 * Static validation of one `trust_marks` entry (OpenID Federation 1.0 § "Validating a Trust Mark";
 * italia/spid-cie-oidc-docs trust_marks.rst): typ trust-mark+jwt, an issuer the anchor recognises for
 * that type, signed with a key of that issuer's entity configuration (the anchor's own when the anchor
 * issued it), sub = the entity, not expired. The type is read under every name the drafts used.
 */
export async function verifyTrustMark(entry: unknown, context: TrustMarkContext): Promise<VerifiedTrustMark> {
  const jwt = (entry as { trust_mark?: unknown } | null)?.trust_mark;
  if (typeof jwt !== 'string') throw new FederationError('trust_mark_invalid', 'a trust_marks entry has no trust_mark');
  let claims: Record<string, unknown>;
  try {
    claims = decodeUnverified(jwt).claims;
  } catch (error) {
    throw new FederationError('trust_mark_invalid', 'the trust mark is not a JWS', {}, { cause: error });
  }
  const type = trustMarkTypeOf(claims);
  const listedType = trustMarkTypeOf(entry as Record<string, unknown>);
  if (!type || (listedType !== undefined && listedType !== type)) throw new FederationError('trust_mark_invalid', 'the trust mark type is missing or differs from its entry');
  const issuer = claims.iss;
  if (typeof issuer !== 'string' || !isRecognisedIssuer(context.anchor.claims, type, issuer)) {
    throw new FederationError('trust_mark_issuer_not_recognised', `the anchor does not list ${String(issuer)} as an issuer of ${type}`, { type });
  }
  const issuerStatement = issuer === context.anchor.claims.sub ? context.anchor : await context.issuerConfiguration(issuer);
  try {
    await verifyFederationJwt(jwt, issuerStatement.claims.jwks, { typ: JOSE_TYPES.trustMark, requireExp: false, ...context.clock });
  } catch (error) {
    const code = error instanceof FederationError ? (STATEMENT_TO_TRUST_MARK[error.code] ?? 'trust_mark_invalid') : 'trust_mark_invalid';
    throw new FederationError(code, `trust mark ${type}: ${error instanceof Error ? error.message : 'invalid'}`, { type }, { cause: error });
  }
  if (claims.sub !== context.subject) throw new FederationError('trust_mark_wrong_subject', `trust mark ${type} is about ${String(claims.sub)}`, { type });
  const status = statusSourceOf(issuerStatement.claims);
  return { type, issuer, subject: context.subject, jwt, ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}), ...(status ? { status } : {}) };
}

/** The entries of an entity configuration's `trust_marks` (at most MAX_TRUST_MARKS_READ). */
export function trustMarkEntriesOf(configuration: EntityStatementClaims): unknown[] {
  return Array.isArray(configuration.trust_marks) ? configuration.trust_marks.slice(0, MAX_TRUST_MARKS_READ) : [];
}

/**
 * At least one valid trust mark among the `required` types (statically valid AND `checkStatus`
 * passing). Stops at the first valid one; when none is, throws the first failure (so a revoked
 * mark reports trust_mark_revoked), or trust_mark_missing when the entity holds none of the types.
 */
export async function requireTrustMark(
  configuration: EntityStatementClaims,
  required: string[],
  context: TrustMarkContext,
  checkStatus: (mark: VerifiedTrustMark) => Promise<void>,
): Promise<VerifiedTrustMark> {
  const candidates = trustMarkEntriesOf(configuration).filter((entry) => {
    const type = trustMarkTypeOf((entry ?? {}) as Record<string, unknown>);
    return type !== undefined && required.includes(type);
  });
  if (candidates.length === 0) throw new FederationError('trust_mark_missing', `no trust mark of type ${required.join(' or ')}`, { required });
  let firstFailure: unknown;
  for (const entry of candidates) {
    try {
      const mark = await verifyTrustMark(entry, context);
      await checkStatus(mark);
      return mark;
    } catch (error) {
      firstFailure ??= error;
    }
  }
  throw firstFailure;
}

/** The other trust marks that verify statically (for resolve answers); the invalid ones are left out, not fatal. */
export async function validTrustMarks(configuration: EntityStatementClaims, context: TrustMarkContext, skip: Set<string>): Promise<VerifiedTrustMark[]> {
  const valid: VerifiedTrustMark[] = [];
  for (const entry of trustMarkEntriesOf(configuration)) {
    const jwt = (entry as { trust_mark?: unknown } | null)?.trust_mark;
    if (typeof jwt !== 'string' || skip.has(jwt)) continue;
    try {
      valid.push(await verifyTrustMark(entry, context));
    } catch {
      // Not required, so not fatal: it just is not vouched for in a resolve answer.
    }
  }
  return valid;
}
