import { boundedFetcher, type FederationFetcher } from '../../federation/bounded-fetch.js';
import { signFederationJwt } from '../../federation/entity-statement.js';
import { FederationError } from '../../federation/federation-error.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../../federation/media-types.js';
import { TrustChainResolver } from '../../federation/trust-chain-resolver.js';
import { statementKey, type AnchorView } from './anchor-statements.js';
import type { EndpointAnswer } from './anchor-endpoints.js';
import { statusOfPresented } from './anchor-trust-marks.js';
import { EndpointError, parameter, requiredParameter } from './http-io.js';
import { trustAnchorEntry } from './trust-anchors-export.js';

/** The anchor resolves on demand (it is a test anchor); every fetch and the whole resolution are bounded. */
export const RESOLVE_LIMITS = { timeoutMs: 4_000, maxBytes: 64 * 1024, resolveTimeoutMs: 10_000, maxAuthorityHints: 2 };

const REFUSALS: Partial<Record<string, [number, string]>> = {
  no_trust_anchor: [404, 'invalid_trust_anchor'],
  fetch_failed: [404, 'not_found'],
  resolve_timeout: [503, 'temporarily_unavailable'],
};

/**
 * `GET <anchor>/resolve?sub=&trust_anchor=` (or the older `anchor=`, optional `entity_type`): the
 * subject's chain to this anchor resolved with the federation core's resolver, answered as a
 * `resolve-response+jwt` with the policy-applied metadata, the trust marks valid now and the chain.
 */
export async function resolveEndpoint(view: AnchorView, params: URLSearchParams, fetcher: FederationFetcher = boundedFetcher(RESOLVE_LIMITS)): Promise<EndpointAnswer> {
  const { state } = view;
  const subject = requiredParameter(params, 'sub');
  const trustAnchor = parameter(params, 'trust_anchor') ?? parameter(params, 'anchor');
  if (trustAnchor === undefined) throw new EndpointError(400, 'invalid_request', 'parameter trust_anchor is required');
  const entityType = parameter(params, 'entity_type');
  if (trustAnchor !== state.entityId) throw new EndpointError(404, 'invalid_trust_anchor', `this resolver answers for ${state.entityId} only`);
  const entry = trustAnchorEntry(state, view.keys);
  const resolver = new TrustChainResolver({
    anchors: [{ entityId: entry.entity_id, jwks: entry.jwks, requiredTrustMarks: [], legacyRequestObjects: false }],
    fetcher,
    limits: RESOLVE_LIMITS,
    clockTolerance: 60,
    now: () => view.now,
    log: () => undefined,
  });
  let chain;
  try {
    chain = await resolver.resolve(subject, { trustAnchor, ...(entityType !== undefined ? { entityType } : {}) });
  } catch (error) {
    if (!(error instanceof FederationError)) throw error;
    const [status, code] = REFUSALS[error.code] ?? [400, 'invalid_trust_chain'];
    throw new EndpointError(status, code, `${error.code}: ${error.message}`);
  }
  // Valid at request time: the ones this anchor issued are also checked against its own revocations.
  const valid = chain.trustMarks.filter((mark) => mark.issuer !== state.entityId || statusOfPresented(state, mark.jwt, view.now) === 'active');
  const trustMarks = valid.map((mark) => ({ trust_mark_type: mark.type, ...(view.legacy ? { id: mark.type, trust_mark_id: mark.type } : {}), trust_mark: mark.jwt }));
  const claims = {
    iss: state.entityId,
    sub: subject,
    iat: view.now,
    exp: chain.exp,
    metadata: chain.metadata,
    ...(trustMarks.length > 0 ? { trust_marks: trustMarks } : {}),
    trust_chain: chain.statements,
  };
  return { contentType: MEDIA_TYPES.resolveResponse, body: await signFederationJwt(claims, statementKey(view, state.entityId), JOSE_TYPES.resolveResponse) };
}
