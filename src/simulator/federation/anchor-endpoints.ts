import { MEDIA_TYPES } from '../../federation/media-types.js';
import { anchorTrustMarkStatus } from '../../observability/anchor-metrics.js';
import { activeTrustMarksOf, enrollmentOf, intermediateById, type AnchorState, type LeafType } from './anchor-state.js';
import { subordinateStatement, subordinatesOf, type AnchorView } from './anchor-statements.js';
import { isActiveFor, statusOfPresented, trustMarkStatusResponse } from './anchor-trust-marks.js';
import { EndpointError, parameter, requiredParameter } from './http-io.js';

export interface EndpointAnswer {
  contentType: string;
  body: string;
}

const json = (value: unknown): EndpointAnswer => ({ contentType: 'application/json', body: JSON.stringify(value) });

/** `GET <issuer>/fetch?sub=`: the issuer's subordinate statement about `sub` (the older `iss` parameter is ignored). */
export async function fetchEndpoint(view: AnchorView, issuer: string, params: URLSearchParams): Promise<EndpointAnswer> {
  const subject = requiredParameter(params, 'sub');
  if (subject === issuer) throw new EndpointError(400, 'invalid_request', 'sub is the issuer itself: its entity configuration is at /.well-known/openid-federation');
  const statement = await subordinateStatement(view, issuer, subject);
  if (!statement) throw new EndpointError(404, 'not_found', `${issuer} has no subordinate ${subject}`);
  return { contentType: MEDIA_TYPES.entityStatement, body: statement };
}

function entityTypeOf(state: AnchorState, entityId: string): LeafType | 'federation_entity' {
  return enrollmentOf(state, entityId)?.entityType ?? 'federation_entity';
}

function booleanParameter(params: URLSearchParams, name: string): boolean | undefined {
  const value = parameter(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw new EndpointError(400, 'invalid_request', `${name} must be true or false`);
  return value === 'true';
}

/**
 * `GET <issuer>/list`: the entity ids of the issuer's immediate subordinates, filtered by
 * `entity_type` (or the older `type`), `intermediate`, `trust_marked` and `trust_mark_type`.
 */
export function listEndpoint(view: AnchorView, issuer: string, params: URLSearchParams): EndpointAnswer {
  const { state, now } = view;
  const entityType = parameter(params, 'entity_type') ?? parameter(params, 'type');
  const intermediate = booleanParameter(params, 'intermediate');
  const trustMarked = booleanParameter(params, 'trust_marked');
  const trustMarkType = parameter(params, 'trust_mark_type');
  const ids = subordinatesOf(state, issuer).filter((id) => {
    if (entityType !== undefined && entityTypeOf(state, id) !== entityType) return false;
    if (intermediate !== undefined && Boolean(intermediateById(state, id)) !== intermediate) return false;
    const marks = activeTrustMarksOf(state, id, now);
    if (trustMarked !== undefined && marks.length > 0 !== trustMarked) return false;
    if (trustMarkType !== undefined && !marks.some((mark) => mark.type === trustMarkType)) return false;
    return true;
  });
  return json(ids);
}

/**
 * Trust-mark status in both deployed forms: `trust_mark` → a signed trust-mark-status-response+jwt
 * (final spec); `sub` + `trust_mark_type` | `trust_mark_id` | `id` → `{"active": bool}` (the Italian
 * profile, drafts ≤ 24).
 */
export async function trustMarkStatusEndpoint(view: AnchorView, params: URLSearchParams): Promise<EndpointAnswer> {
  const trustMark = parameter(params, 'trust_mark');
  if (trustMark !== undefined) {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(trustMark)) throw new EndpointError(400, 'invalid_request', 'trust_mark is not a signed JWT');
    const body = await trustMarkStatusResponse(view, trustMark);
    anchorTrustMarkStatus.inc({ form: 'jwt', outcome: statusOfPresented(view.state, trustMark, view.now) });
    return { contentType: MEDIA_TYPES.trustMarkStatusResponse, body };
  }
  const subject = parameter(params, 'sub');
  const type = parameter(params, 'trust_mark_type') ?? parameter(params, 'trust_mark_id') ?? parameter(params, 'id');
  if (subject === undefined || type === undefined) throw new EndpointError(400, 'invalid_request', 'give trust_mark, or sub and trust_mark_type (id)');
  const active = isActiveFor(view.state, subject, type, view.now);
  anchorTrustMarkStatus.inc({ form: 'json', outcome: active ? 'active' : 'inactive' });
  return json({ active });
}
