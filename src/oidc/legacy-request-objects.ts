import { errors, type Client } from 'oidc-provider';
import { loggerFor } from '../shared/logger.js';

/**
 * Client metadata `legacy_request_objects: true` — this RP's request objects may lack `exp` and/or
 * `jti` (the italia Node RP sends neither: the reference RPs in docs/references.md). Default strict. Such a
 * request object still needs `iat`; it is valid for REQUEST_OBJECT_MAX_LIFETIME from it, and single
 * use by its `nonce` when it has no `jti`.
 */
export const LEGACY_REQUEST_OBJECTS = 'legacy_request_objects';

/** The value check for oidc-provider's `extraClientMetadata.validator`. */
export function assertLegacyRequestObjectsValue(value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new errors.InvalidClientMetadata(`${LEGACY_REQUEST_OBJECTS} must be a boolean`);
}

export function acceptsLegacyRequestObjects(client: Client): boolean {
  return client.metadata()[LEGACY_REQUEST_OBJECTS] === true;
}

/** Each relaxation is logged, with the client and what was missing; never a claim's value. */
export function logLegacyRequestObject(clientId: string, missing: string[]): void {
  loggerFor('oidc').warn({ event: 'legacy_request_object_accepted', client_id: clientId, missing });
}
