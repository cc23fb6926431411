import { createServer } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import { relyingPartyMetadata } from '../../../../src/demo-rp/rp-client.js';
import type { RelyingPartyKeys } from '../../../../src/demo-rp/rp-keys.js';
import { signFederationJwt, type FederationJwks, type FederationSigningKey, type TrustMarkEntry } from '../../../../src/federation/entity-statement.js';
import { ENTITY_CONFIGURATION_PATH, JOSE_TYPES, MEDIA_TYPES } from '../../../../src/federation/media-types.js';
import { closeNow, listen } from '../../../../src/shared/http-server.js';

/** A relying party as a federation entity: its entity configuration served by the test on loopback. */
export interface FederatedRpEntity {
  entityId: string;
  redirectUri: string;
  federationJwks: FederationJwks;
  /** Its OIDC metadata (openid-client is configured with it): client_id = the entity id. */
  metadata: ClientMetadata;
  /** Published in its entity configuration from now on (the anchor's enrolment gives them). */
  trustMarks: TrustMarkEntry[];
  close(): Promise<void>;
}

async function federationKey(): Promise<{ signing: FederationSigningKey; jwks: FederationJwks }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { signing: { kid, alg: 'ES256', jwk: { ...(await exportJWK(privateKey)), kid } }, jwks: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' } as JWK & { kid: string }] } };
}

/**
 * Serves `<entity id>/.well-known/openid-federation` on 127.0.0.1:`port`, signed with the RP's own
 * federation key (ES256, not its OIDC keys): openid_relying_party = the demo RP's metadata (signed and
 * encrypted userinfo, private_key_jwt, its OIDC jwks) plus client_registration_types automatic,
 * authority_hints = [anchor], and whatever trust marks the test hands it.
 */
export async function startFederatedRpEntity(port: number, anchor: string, keys: RelyingPartyKeys, name = 'Comune Federato'): Promise<FederatedRpEntity> {
  const entityId = `http://127.0.0.1:${port}`;
  const key = await federationKey();
  const metadata = { ...relyingPartyMetadata(entityId, name, keys), client_registration_types: ['automatic'] } as ClientMetadata;
  const entity: FederatedRpEntity = {
    entityId,
    redirectUri: `${entityId}/callback`,
    federationJwks: key.jwks,
    metadata,
    trustMarks: [],
    close: async () => closeNow(server),
  };
  const server = createServer((request, response) => {
    if (request.url !== ENTITY_CONFIGURATION_PATH) {
      response.writeHead(404).end();
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: entityId,
      sub: entityId,
      iat: now,
      exp: now + 3600,
      jwks: key.jwks,
      authority_hints: [anchor],
      metadata: { openid_relying_party: metadata, federation_entity: { organization_name: name, homepage_uri: entityId, contacts: ['rp@example.invalid'] } },
      ...(entity.trustMarks.length > 0 ? { trust_marks: entity.trustMarks } : {}),
    };
    signFederationJwt(claims, key.signing, JOSE_TYPES.entityStatement).then(
      (jwt) => response.writeHead(200, { 'content-type': MEDIA_TYPES.entityStatement }).end(jwt),
      () => response.writeHead(500).end(),
    );
  });
  await listen(server, port, '127.0.0.1');
  return entity;
}
