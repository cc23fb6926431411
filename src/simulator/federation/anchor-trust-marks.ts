import { signFederationJwt } from '../../federation/entity-statement.js';
import { JOSE_TYPES } from '../../federation/media-types.js';
import { statusOfTrustMark, trustMarkTypeFor, type AnchorState, type Enrollment, type IssuedTrustMark, type TrustMarkStatus } from './anchor-state.js';
import { statementKey, type AnchorView } from './anchor-statements.js';

/**
 * A trust mark of the profile's shape (italia/spid-cie-oidc-docs `trust_marks.rst`): the final
 * spec's `trust_mark_type` and, for the RPs that still read it (JAVA's starter kit), `id`.
 */
export async function issueTrustMark(view: Pick<AnchorView, 'state' | 'keys' | 'now'>, enrollment: Enrollment): Promise<IssuedTrustMark> {
  const { state, now } = view;
  const type = trustMarkTypeFor(state, enrollment.entityType, 'public');
  const host = new URL(enrollment.entityId).hostname;
  const expiresAt = now + state.trustMarkLifetimeSeconds;
  const jwt = await signFederationJwt(
    {
      iss: state.entityId,
      sub: enrollment.entityId,
      trust_mark_type: type,
      id: type,
      iat: now,
      exp: expiresAt,
      organization_name: enrollment.organizationName,
      organization_type: 'public',
      // A test IPA code: the local anchor vouches for nobody real.
      id_code: { ipa_code: `test_${host.replace(/[^a-z0-9]/gi, '_')}`.slice(0, 40) },
      email: 'noreply@example.invalid',
      ref: `${state.entityId.replace(/\/+$/, '')}/`,
      logo_uri: `${state.entityId.replace(/\/+$/, '')}/logo.svg`,
    },
    statementKey(view, state.entityId),
    JOSE_TYPES.trustMark,
  );
  return { type, subject: enrollment.entityId, issuer: state.entityId, jwt, issuedAt: now, expiresAt };
}

/** Status of a trust mark presented whole (final spec): only one this anchor issued is known. */
export function statusOfPresented(state: AnchorState, jwt: string, now: number): TrustMarkStatus {
  return statusOfTrustMark(state.trustMarks.find((mark) => mark.jwt === jwt), now);
}

/** Legacy form: is there an active trust mark of `type` about `subject`? */
export function isActiveFor(state: AnchorState, subject: string, type: string, now: number): boolean {
  return state.trustMarks.some((mark) => mark.subject === subject && mark.type === type && statusOfTrustMark(mark, now) === 'active');
}

export async function trustMarkStatusResponse(view: AnchorView, trustMark: string): Promise<string> {
  const { state, now } = view;
  const claims = { iss: state.entityId, iat: now, trust_mark: trustMark, status: statusOfPresented(state, trustMark, now) };
  return signFederationJwt(claims, statementKey(view, state.entityId), JOSE_TYPES.trustMarkStatusResponse);
}
