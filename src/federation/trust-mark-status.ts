import type { FederationFetcher } from './bounded-fetch.js';
import { mediaTypeOf } from './bounded-fetch.js';
import type { StatementClock } from './entity-statements-fetch.js';
import { FederationError, type FederationErrorCode } from './federation-error.js';
import { JOSE_TYPES, MEDIA_TYPES } from './media-types.js';
import { verifyFederationJwt } from './statement-verification.js';
import type { VerifiedTrustMark } from './trust-marks.js';

const STATUS_CODES: Record<string, FederationErrorCode | null> = {
  active: null,
  revoked: 'trust_mark_revoked',
  expired: 'trust_mark_expired',
  invalid: 'trust_mark_invalid',
};

const ACCEPT = `${MEDIA_TYPES.trustMarkStatusResponse}, application/json`;

/**
 * Asks the trust mark's issuer whether it is still active. Both forms deployed today:
 * - final (OpenID Federation 1.0 § "Trust Mark Status"): POST `trust_mark` to
 *   federation_trust_mark_status_endpoint → a `trust-mark-status-response+jwt` signed by the issuer,
 *   `status` ∈ active | expired | revoked | invalid;
 * - legacy (italia/spid-cie-oidc-docs, drafts ≤ 24): POST `sub` + `id` (and `trust_mark_id`) to
 *   federation_status_endpoint → JSON `{"active": true|false}`. A final endpoint that refuses the
 *   `trust_mark` form (HTTP 4xx) is asked again in the legacy form.
 * Throws trust_mark_revoked / _expired / _invalid, or trust_mark_status_unavailable when the issuer
 * cannot be asked (fail closed: an unanswered status does not let a login through).
 */
export async function checkTrustMarkStatus(fetcher: FederationFetcher, mark: VerifiedTrustMark, clock: StatementClock): Promise<void> {
  const source = mark.status;
  if (!source) return;
  let status: string;
  try {
    if (source.legacy) {
      status = await askLegacy(fetcher, mark);
    } else {
      try {
        status = await askFinal(fetcher, mark, clock);
      } catch (error) {
        const httpStatus = error instanceof FederationError ? error.details.status : undefined;
        if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus >= 500) throw error;
        status = await askLegacy(fetcher, mark);
      }
    }
  } catch (error) {
    throw new FederationError('trust_mark_status_unavailable', `status of trust mark ${mark.type} unavailable`, { type: mark.type }, { cause: error });
  }
  const code = STATUS_CODES[status];
  if (code === null) return;
  throw new FederationError(code ?? 'trust_mark_status_unavailable', `trust mark ${mark.type} is ${status}`, { type: mark.type, status });
}

async function askFinal(fetcher: FederationFetcher, mark: VerifiedTrustMark, clock: StatementClock): Promise<string> {
  const answer = await fetcher(mark.status!.endpoint, { method: 'POST', accept: ACCEPT, form: { trust_mark: mark.jwt } });
  if (mediaTypeOf(answer.contentType) === 'application/json') return statusOfJson(answer.body);
  const claims = await verifyFederationJwt<Record<string, unknown>>(answer.body.trim(), mark.status!.issuerJwks, { typ: JOSE_TYPES.trustMarkStatusResponse, requireExp: false, ...clock });
  if (claims.iss !== mark.issuer) throw new FederationError('statement_wrong_issuer', 'status answer not from the trust mark issuer');
  if (claims.trust_mark !== undefined && claims.trust_mark !== mark.jwt) throw new FederationError('statement_wrong_subject', 'status answer about another trust mark');
  return typeof claims.status === 'string' ? claims.status : 'unknown';
}

async function askLegacy(fetcher: FederationFetcher, mark: VerifiedTrustMark): Promise<string> {
  const answer = await fetcher(mark.status!.endpoint, { method: 'POST', accept: 'application/json', form: { sub: mark.subject, id: mark.type, trust_mark_id: mark.type } });
  return statusOfJson(answer.body);
}

function statusOfJson(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new FederationError('statement_malformed', 'status answer is not JSON');
  }
  const { active, status } = (value ?? {}) as { active?: unknown; status?: unknown };
  if (typeof active === 'boolean') return active ? 'active' : 'revoked';
  if (typeof status === 'string') return status;
  throw new FederationError('statement_malformed', 'status answer has neither active nor status');
}
