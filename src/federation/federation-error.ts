import { CodedError } from '../shared/coded-error.js';

/**
 * Why a statement, a trust mark or a trust chain was refused. Stable codes: logs, the operator's
 * tools and tests read them; the RP only ever sees the OAuth error they map to (docs/federation.md).
 */
export type FederationErrorCode =
  // Transport: the fetch itself.
  | 'fetch_failed'
  | 'fetch_timeout'
  | 'fetch_too_large'
  | 'fetch_bad_content_type'
  | 'fetch_insecure_url'
  // One signed statement (entity configuration, subordinate statement, trust mark, resolve answer).
  | 'statement_malformed'
  | 'statement_wrong_typ'
  | 'statement_missing_kid'
  | 'statement_unknown_kid'
  | 'statement_bad_signature'
  | 'statement_expired'
  | 'statement_not_yet_valid'
  | 'statement_wrong_issuer'
  | 'statement_wrong_subject'
  | 'statement_bad_jwks'
  // The chain as a whole.
  | 'no_trust_anchor'
  | 'no_path_to_trust_anchor'
  | 'path_too_long'
  | 'naming_constraint_violated'
  | 'entity_type_not_allowed'
  | 'authority_hint_not_followed'
  | 'key_not_bound'
  | 'resolve_timeout'
  | 'resolver_busy'
  // Metadata policy.
  | 'policy_conflict'
  | 'policy_invalid'
  | 'metadata_policy_violation'
  // Trust marks.
  | 'trust_mark_missing'
  | 'trust_mark_invalid'
  | 'trust_mark_expired'
  | 'trust_mark_wrong_subject'
  | 'trust_mark_issuer_not_recognised'
  | 'trust_mark_revoked'
  | 'trust_mark_status_unavailable'
  // Operator decisions.
  | 'entity_disabled'
  // An operator's file (trust anchors, disabled entities) that cannot be used.
  | 'settings_file_invalid';

export class FederationError extends CodedError<FederationErrorCode> {}
