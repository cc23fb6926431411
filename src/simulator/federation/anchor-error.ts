import { CodedError } from '../../shared/coded-error.js';

export type AnchorErrorCode =
  | 'ANCHOR_NOT_INITIALISED'
  | 'ANCHOR_ALREADY_INITIALISED'
  | 'ANCHOR_STATE_INVALID'
  | 'ANCHOR_STATE_LOCKED'
  | 'ANCHOR_INVALID_ENTITY_ID'
  | 'ANCHOR_INVALID_NAME'
  | 'ANCHOR_INVALID_JWKS'
  | 'ANCHOR_UNKNOWN_INTERMEDIATE'
  | 'ANCHOR_INTERMEDIATE_EXISTS'
  | 'ANCHOR_NOTHING_TO_REVOKE'
  | 'ANCHOR_ENTITY_UNREACHABLE';

/** Any refusal of the local trust anchor (bad input, missing or damaged state directory, unreachable entity). */
export class AnchorError extends CodedError<AnchorErrorCode> {}
