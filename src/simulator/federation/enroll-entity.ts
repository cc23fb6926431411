import { AnchorError } from './anchor-error.js';
import { readAnchorKeys, readAnchorState, withAnchorLock, writeAnchorState } from './anchor-files.js';
import { activeTrustMarksOf, anchorBase, intermediateById, type Enrollment, type IssuedTrustMark, type LeafType } from './anchor-state.js';
import { issueTrustMark } from './anchor-trust-marks.js';
import { assertEntityId } from './entity-id.js';
import { assertPublicJwks } from './jwks-check.js';
import type { FederationJwks } from '../../federation/entity-statement.js';

export interface EnrollRequest {
  entityId: string;
  entityType: LeafType;
  /** The entity's federation keys. */
  jwks: FederationJwks;
  /** An RP's OIDC keys (its `jwks` metadata): the anchor's policy pins them. */
  protocolJwks?: { keys: Record<string, unknown>[] };
  /** Name or entity id of the intermediate to enroll under; default: directly under the anchor. */
  via?: string;
  organizationName?: string;
}

export interface EnrollResult {
  enrollment: Enrollment;
  trustMark: IssuedTrustMark;
  /** False when an active trust mark of the same type was kept. */
  newTrustMark: boolean;
}

/**
 * Enrolls (or re-enrolls, replacing keys and superior) an entity: the data of its subordinate
 * statement and, unless it already holds an active one, a trust mark of `<anchor>/<type>/public/`.
 */
export async function enrollEntity(dir: string, request: EnrollRequest, now = Math.floor(Date.now() / 1000)): Promise<EnrollResult> {
  const entityId = assertEntityId(request.entityId);
  const jwks = assertPublicJwks(request.jwks, `the keys of ${entityId}`);
  return withAnchorLock(dir, async () => {
    const state = readAnchorState(dir);
    const keys = readAnchorKeys(dir);
    if (entityId === state.entityId || intermediateById(state, entityId)) {
      throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `${entityId} is hosted by this anchor; enroll relying parties and providers`);
    }
    let superior = state.entityId;
    if (request.via !== undefined) {
      const intermediate = Object.hasOwn(state.intermediates, request.via) ? state.intermediates[request.via] : intermediateById(state, request.via);
      if (!intermediate) throw new AnchorError('ANCHOR_UNKNOWN_INTERMEDIATE', `no intermediate "${request.via}" (add it with "cie-federation add-intermediate ${request.via}")`);
      superior = intermediate.entityId;
    }
    const enrollment: Enrollment = {
      entityId,
      entityType: request.entityType,
      superior,
      jwks,
      ...(request.protocolJwks ? { protocolJwks: request.protocolJwks } : {}),
      organizationName: request.organizationName ?? new URL(entityId).host,
      enrolledAt: new Date(now * 1000).toISOString(),
    };
    state.enrollments[entityId] = enrollment;
    // Any active mark of this role (public or private) is kept.
    const role = `${anchorBase(state)}/${request.entityType}/`;
    const kept = activeTrustMarksOf(state, entityId, now).find((mark) => mark.type.startsWith(role));
    const trustMark = kept ?? (await issueTrustMark({ state, keys, now }, enrollment));
    if (!kept) state.trustMarks.push(trustMark);
    await writeAnchorState(dir, state);
    return { enrollment, trustMark, newTrustMark: !kept };
  });
}
