import { assertLegacyRequestObjectsValue, LEGACY_REQUEST_OBJECTS } from './legacy-request-objects.js';
import { assertUserinfoContentType, USERINFO_CONTENT_TYPE_METADATA } from './userinfo-content-type.js';

/** The client metadata this provider reads beyond the standard ones (oidc-provider's extraClientMetadata). */
export const extraClientMetadataProperties = [USERINFO_CONTENT_TYPE_METADATA, LEGACY_REQUEST_OBJECTS];

/**
 * Checks one of them; throws InvalidClientMetadata. oidc-provider calls it when it loads a client,
 * and the clients file calls it at start, so a bad value is refused before the RP's first request.
 */
export function assertExtraClientMetadata(key: string, value: unknown): void {
  if (key === USERINFO_CONTENT_TYPE_METADATA) assertUserinfoContentType(value);
  if (key === LEGACY_REQUEST_OBJECTS) assertLegacyRequestObjectsValue(value);
}
