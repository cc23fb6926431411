/** Media types and JOSE `typ` values of OpenID Federation 1.0 (§ "Media Types", final spec). */
export const MEDIA_TYPES = {
  entityStatement: 'application/entity-statement+jwt',
  trustMark: 'application/trust-mark+jwt',
  trustMarkStatusResponse: 'application/trust-mark-status-response+jwt',
  resolveResponse: 'application/resolve-response+jwt',
  jwkSet: 'application/jwk-set+jwt',
} as const;

export const JOSE_TYPES = {
  entityStatement: 'entity-statement+jwt',
  trustMark: 'trust-mark+jwt',
  trustMarkStatusResponse: 'trust-mark-status-response+jwt',
  resolveResponse: 'resolve-response+jwt',
  jwkSet: 'jwk-set+jwt',
} as const;

export type JoseType = (typeof JOSE_TYPES)[keyof typeof JOSE_TYPES];

/** The well-known path of an entity configuration. */
export const ENTITY_CONFIGURATION_PATH = '/.well-known/openid-federation';

/**
 * Where an entity's configuration lives: the entity id with any trailing "/" removed, then the
 * well-known path (OpenID Federation 1.0 § "Obtaining Federation Entity Configuration Information").
 */
export function entityConfigurationUrl(entityId: string): string {
  return `${entityId.replace(/\/+$/, '')}${ENTITY_CONFIGURATION_PATH}`;
}
