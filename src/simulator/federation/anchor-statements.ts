import { signFederationJwt, type EntityStatementClaims, type TrustMarkEntry } from '../../federation/entity-statement.js';
import { JOSE_TYPES } from '../../federation/media-types.js';
import { AnchorError } from './anchor-error.js';
import {
  activeKeys,
  activeTrustMarksOf,
  enrollmentOf,
  intermediateById,
  trustMarkTypesOf,
  type AnchorKeys,
  type AnchorState,
  type Intermediate,
  type StoredKey,
} from './anchor-state.js';
import { endpointsOf } from './anchor-urls.js';
import { publicJwks } from './federation-keys.js';
import { subordinatePolicy } from './rp-policy.js';

/** What every statement is built from: the state and keys as read for this request, and the time. */
export interface AnchorView {
  state: AnchorState;
  keys: AnchorKeys;
  /** Seconds since the epoch. */
  now: number;
  /** Also emit the pre-final names (the state's setting, or `serve --legacy`). */
  legacy: boolean;
}

function keysOf(view: Pick<AnchorView, 'keys'>, entityId: string): StoredKey[] {
  const keys = activeKeys(view.keys[entityId] ?? []);
  if (keys.length === 0) throw new AnchorError('ANCHOR_STATE_INVALID', `no federation key for ${entityId}`);
  return keys;
}

/**
 * The entity configuration is signed with the OLDEST published key, the one providers were configured
 * with, so a rotation never breaks them; everything else with the newest. `rotate-keys --retire-old`
 * then drops the old key (docs/federation.md "Anchor key rotation").
 */
export function configurationKey(view: Pick<AnchorView, 'keys'>, entityId: string): StoredKey {
  return keysOf(view, entityId)[0]!;
}

export function statementKey(view: Pick<AnchorView, 'keys'>, entityId: string): StoredKey {
  return keysOf(view, entityId).at(-1)!;
}

export function publishedJwks(view: Pick<AnchorView, 'keys'>, entityId: string) {
  return publicJwks(keysOf(view, entityId));
}

/** Trust-mark entries about `subject`: `trust_mark_type`, and in legacy mode also `id` and `trust_mark_id`. */
export function trustMarkEntries(view: AnchorView, subject: string): TrustMarkEntry[] {
  return activeTrustMarksOf(view.state, subject, view.now).map((mark) =>
    view.legacy ? { trust_mark_type: mark.type, trust_mark_id: mark.type, id: mark.type, trust_mark: mark.jwt } : { trust_mark_type: mark.type, trust_mark: mark.jwt },
  );
}

const lifetime = (view: AnchorView) => ({ iat: view.now, exp: view.now + view.state.statementLifetimeSeconds });

export async function anchorConfiguration(view: AnchorView): Promise<string> {
  const { state } = view;
  const endpoints = endpointsOf(state.entityId);
  const issuers = Object.fromEntries(trustMarkTypesOf(state).map((type) => [type, [state.entityId]]));
  const federationEntity: Record<string, unknown> = {
    organization_name: state.organizationName,
    homepage_uri: state.entityId,
    contacts: ['noreply@example.invalid'],
    federation_fetch_endpoint: endpoints.fetch,
    federation_list_endpoint: endpoints.list,
    federation_resolve_endpoint: endpoints.resolve,
    federation_trust_mark_status_endpoint: endpoints.trustMarkStatus,
  };
  const claims: EntityStatementClaims = {
    iss: state.entityId,
    sub: state.entityId,
    ...lifetime(view),
    jwks: publishedJwks(view, state.entityId),
    metadata: { federation_entity: view.legacy ? { ...federationEntity, name: state.organizationName, federation_status_endpoint: endpoints.trustMarkStatus } : federationEntity },
    trust_mark_issuers: issuers,
    // CIE: OPs sit directly below the anchor, RPs at most one aggregator down.
    constraints: { max_path_length: 1 },
  };
  if (view.legacy) claims.trust_marks_issuers = issuers;
  return signFederationJwt(claims, configurationKey(view, state.entityId), JOSE_TYPES.entityStatement);
}

export async function intermediateConfiguration(view: AnchorView, intermediate: Intermediate): Promise<string> {
  const endpoints = endpointsOf(intermediate.entityId);
  const federationEntity: Record<string, unknown> = {
    organization_name: `${view.state.organizationName} — ${intermediate.name}`,
    homepage_uri: intermediate.entityId,
    federation_fetch_endpoint: endpoints.fetch,
    federation_list_endpoint: endpoints.list,
  };
  if (view.legacy) federationEntity.name = federationEntity.organization_name;
  const claims: EntityStatementClaims = {
    iss: intermediate.entityId,
    sub: intermediate.entityId,
    ...lifetime(view),
    jwks: publishedJwks(view, intermediate.entityId),
    authority_hints: [view.state.entityId],
    metadata: { federation_entity: federationEntity },
  };
  return signFederationJwt(claims, configurationKey(view, intermediate.entityId), JOSE_TYPES.entityStatement);
}

/** Entity ids `issuer` (the anchor or an intermediate) issues subordinate statements about. */
export function subordinatesOf(state: AnchorState, issuer: string): string[] {
  const leaves = Object.values(state.enrollments).filter((enrollment) => enrollment.superior === issuer).map((enrollment) => enrollment.entityId);
  const intermediates = issuer === state.entityId ? Object.values(state.intermediates).map((intermediate) => intermediate.entityId) : [];
  return [...intermediates, ...leaves];
}

/** The subordinate statement `issuer` makes about `subject`, or undefined when it has none. */
export async function subordinateStatement(view: AnchorView, issuer: string, subject: string): Promise<string | undefined> {
  const { state } = view;
  const enrollment = enrollmentOf(state, subject);
  const intermediate = intermediateById(state, subject);
  const issuedByAnchor = issuer === state.entityId;
  if (enrollment ? enrollment.superior !== issuer : !(intermediate && issuedByAnchor)) return undefined;
  const claims: EntityStatementClaims = {
    iss: issuer,
    sub: subject,
    ...lifetime(view),
    jwks: enrollment ? enrollment.jwks : publishedJwks(view, subject),
  };
  const policy = subordinatePolicy(issuedByAnchor, { enrollment, isIntermediate: Boolean(intermediate) });
  if (policy) claims.metadata_policy = policy;
  const marks = trustMarkEntries(view, subject);
  if (marks.length > 0) claims.trust_marks = marks;
  return signFederationJwt(claims, statementKey(view, issuer), JOSE_TYPES.entityStatement);
}
