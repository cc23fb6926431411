import type { FederationJwks, FederationSigningKey } from '../../federation/entity-statement.js';

/** The entity types the local anchor enrolls as leaves (the profile's roles for OPs and RPs). */
export const LEAF_TYPES = ['openid_relying_party', 'openid_provider'] as const;
export type LeafType = (typeof LEAF_TYPES)[number];

/** One entity the anchor (or one of its intermediates) vouches for with a subordinate statement. */
export interface Enrollment {
  entityId: string;
  entityType: LeafType;
  /** Entity id of the superior that issues the subordinate statement: the anchor or an intermediate. */
  superior: string;
  /** The entity's federation keys, bound by the subordinate statement. */
  jwks: FederationJwks;
  /** The entity's OIDC keys (RP `jwks` metadata) when known: the profile's TA policy pins them (`value`). */
  protocolJwks?: { keys: Record<string, unknown>[] };
  organizationName: string;
  enrolledAt: string;
}

export interface IssuedTrustMark {
  type: string;
  subject: string;
  issuer: string;
  /** The signed trust mark as issued; the status endpoint recognises it by exact match. */
  jwt: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt?: string;
}

export interface Intermediate {
  name: string;
  entityId: string;
  createdAt: string;
}

export interface AnchorState {
  version: 1;
  entityId: string;
  organizationName: string;
  /** Emit the pre-final names too (trust_marks_issuers, federation_status_endpoint, trust-mark `id`…). */
  legacy: boolean;
  statementLifetimeSeconds: number;
  trustMarkLifetimeSeconds: number;
  intermediates: Record<string, Intermediate>;
  /** Keyed by entity id. */
  enrollments: Record<string, Enrollment>;
  trustMarks: IssuedTrustMark[];
}

/** A federation signing key as stored (private JWK), with when it stopped being published. */
export interface StoredKey extends FederationSigningKey {
  createdAt: string;
  retiredAt?: string;
}

/** Private keys of the anchor and of each intermediate, keyed by their entity id. */
export type AnchorKeys = Record<string, StoredKey[]>;

export type TrustMarkStatus = 'active' | 'revoked' | 'expired' | 'invalid';

export function enrollmentOf(state: AnchorState, entityId: string): Enrollment | undefined {
  return Object.hasOwn(state.enrollments, entityId) ? state.enrollments[entityId] : undefined;
}

export function intermediateById(state: AnchorState, entityId: string): Intermediate | undefined {
  return Object.values(state.intermediates).find((intermediate) => intermediate.entityId === entityId);
}

/** The anchor's entity id without its trailing "/": the base of its endpoints and trust-mark types. */
export function anchorBase(state: Pick<AnchorState, 'entityId'>): string {
  return state.entityId.replace(/\/+$/, '');
}

/** `<anchor>/<role>/<profile>/`, the profile's trust-mark type (the trailing "/" is part of it). */
export function trustMarkTypeFor(state: Pick<AnchorState, 'entityId'>, role: LeafType, profile: 'public' | 'private' = 'public'): string {
  return `${anchorBase(state)}/${role}/${profile}/`;
}

export function trustMarkTypesOf(state: Pick<AnchorState, 'entityId'>): string[] {
  return LEAF_TYPES.flatMap((role) => [trustMarkTypeFor(state, role, 'public'), trustMarkTypeFor(state, role, 'private')]);
}

export function statusOfTrustMark(mark: IssuedTrustMark | undefined, now: number): TrustMarkStatus {
  if (!mark) return 'invalid';
  if (mark.revokedAt) return 'revoked';
  return mark.expiresAt <= now ? 'expired' : 'active';
}

/** Trust marks about `subject` that are neither revoked nor expired. */
export function activeTrustMarksOf(state: AnchorState, subject: string, now: number): IssuedTrustMark[] {
  return state.trustMarks.filter((mark) => mark.subject === subject && statusOfTrustMark(mark, now) === 'active');
}

/** Keys still published, oldest first. */
export function activeKeys(keys: StoredKey[]): StoredKey[] {
  return keys.filter((key) => !key.retiredAt);
}

export function isAnchorState(value: unknown): value is AnchorState {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<AnchorState>;
  return (
    candidate.version === 1 &&
    typeof candidate.entityId === 'string' &&
    typeof candidate.organizationName === 'string' &&
    typeof candidate.legacy === 'boolean' &&
    typeof candidate.statementLifetimeSeconds === 'number' &&
    typeof candidate.trustMarkLifetimeSeconds === 'number' &&
    typeof candidate.intermediates === 'object' && candidate.intermediates !== null &&
    typeof candidate.enrollments === 'object' && candidate.enrollments !== null &&
    Array.isArray(candidate.trustMarks)
  );
}

