import { errors } from 'oidc-provider';

/** Models whose payload carries a grantId and that revokeByGrantId must remove (as the library's adapter does). */
export const GRANT_BOUND_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/** Grant-bound models stored before they have a grant: approval moves them into the grant's slot. */
export const BOUND_ON_APPROVAL_MODELS: ReadonlySet<string> = new Set(['DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * `consume` found the entry already consumed: another redemption of the same code or refresh token
 * won. Two parties holding one token means it leaked, so spent-tokens.ts revokes the grant.
 */
export class AlreadyConsumedError extends errors.InvalidGrant {
  constructor(model: string) {
    super(`${model} already consumed`);
  }
}

/**
 * `consume` found no entry: it expired, or was revoked or destroyed meanwhile (say at the revocation
 * endpoint during a refresh). The redemption fails, but nothing suggests a leak: the grant stays.
 */
export class EntryGoneError extends errors.InvalidGrant {
  constructor(model: string) {
    super(`${model} not found`);
  }
}

/**
 * The error `consume` throws when it did not consume. oidc-provider ignores consume's return value
 * and renders a thrown OIDCProviderError as its OAuth error, so this is what the client sees.
 */
export function consumeRefusedError(model: string, reason: 'consumed' | 'gone'): Error {
  if (model === 'PushedAuthorizationRequest') {
    // Same error the library raises in lib/actions/authorization/respond.js for a reused request_uri.
    return new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
  }
  return reason === 'consumed' ? new AlreadyConsumedError(model) : new EntryGoneError(model);
}

/**
 * The error a losing concurrent ReplayDetection upsert throws. The adapter cannot tell which check
 * called it (client assertion, DPoP proof or attestation PoP); the client assertion jti is the one
 * every client-authenticated request checks, so the answer matches lib/shared/jwt_client_auth.js.
 */
export function replayDetectedError(): Error {
  return new ReplayDetectedError();
}

/** Thrown by a ReplayDetection upsert whose entry already exists (replay-detection.ts turns it into `false`). */
export class ReplayDetectedError extends errors.InvalidClientAuth {
  constructor() {
    super('client assertion tokens must only be used once');
  }
}

/** Seconds the store keeps an entry: the model's lifetime plus the clock tolerance; undefined = no expiry. */
export function storageTtlSeconds(expiresIn: number | undefined, clockToleranceSeconds: number): number | undefined {
  return typeof expiresIn === 'number' ? expiresIn + clockToleranceSeconds : undefined;
}
