import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { freePort } from '../../../src/shared/free-port.js';
import { decodeUnverified } from '../../../src/federation/statement-verification.js';
import { signFederationJwt, type FederationJwks, type TrustMarkEntry } from '../../../src/federation/entity-statement.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../../../src/federation/media-types.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { newFederationKey, publicJwk } from '../../../src/simulator/federation/federation-keys.js';
import { initAnchor, startAnchorServer, type AnchorServer } from '../../../src/simulator/federation/index.js';

export interface TestAnchor {
  dir: string;
  entityId: string;
  server: AnchorServer;
  dispose(): Promise<void>;
}

/** A fresh anchor in a temporary directory, served on a free loopback port matching its entity id. */
export async function startTestAnchor(options: { legacy?: boolean } = {}): Promise<TestAnchor> {
  const parent = await mkdtemp(join(tmpdir(), 'cie-anchor-'));
  const dir = join(parent, 'federation');
  const entityId = `http://127.0.0.1:${await freePort()}/`;
  await initAnchor(dir, { entityId, legacy: options.legacy });
  const server = await startAnchorServer(dir);
  return { dir, entityId, server, dispose: async () => { await server.close(); await rm(parent, { recursive: true, force: true }); } };
}

export interface TestEntity {
  entityId: string;
  jwks: FederationJwks;
  protocolJwks: { keys: JWK[] };
  /** The trust marks it publishes (fetched from its superior on each request unless set). */
  trustMarks?: TrustMarkEntry[];
  close(): Promise<void>;
}

/** An RP as a developer would run it: an entity configuration with RP metadata, authority_hints and the superior's trust marks. */
export async function startTestRelyingParty(superior: { entityId: string; fetchEndpoint: string }): Promise<TestEntity> {
  const port = await freePort();
  const entityId = `http://127.0.0.1:${port}`;
  const federationKey = await newFederationKey();
  const protocolKey = publicJwk((await newFederationKey()).jwk);
  const entity: TestEntity = {
    entityId,
    jwks: { keys: [publicJwk(federationKey.jwk)] },
    protocolJwks: { keys: [protocolKey] },
    close: async () => closeNow(server),
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.url !== '/.well-known/openid-federation') {
        response.writeHead(404).end();
        return;
      }
      let trustMarks = entity.trustMarks;
      if (!trustMarks) {
        const answer = await fetch(`${superior.fetchEndpoint}?sub=${encodeURIComponent(entityId)}`);
        trustMarks = answer.ok ? ((decodeUnverified(await answer.text()).claims.trust_marks as TrustMarkEntry[] | undefined) ?? []) : [];
      }
      const now = Math.floor(Date.now() / 1000);
      const jwt = await signFederationJwt(
        {
          iss: entityId,
          sub: entityId,
          iat: now,
          exp: now + 3600,
          jwks: entity.jwks,
          authority_hints: [superior.entityId],
          metadata: {
            federation_entity: { organization_name: 'Servizio di prova' },
            openid_relying_party: {
              client_id: entityId,
              client_name: 'Servizio di prova',
              redirect_uris: [`${entityId}/callback`],
              response_types: ['code'],
              grant_types: ['authorization_code', 'refresh_token'],
              client_registration_types: ['automatic'],
              token_endpoint_auth_method: 'private_key_jwt',
              id_token_signed_response_alg: 'RS256',
              userinfo_signed_response_alg: 'RS256',
              userinfo_encrypted_response_alg: 'RSA-OAEP',
              userinfo_encrypted_response_enc: 'A256CBC-HS512',
              jwks: entity.protocolJwks,
            },
          },
          trust_marks: trustMarks,
        },
        federationKey,
        JOSE_TYPES.entityStatement,
      );
      response.writeHead(200, { 'content-type': MEDIA_TYPES.entityStatement }).end(jwt);
    })().catch(() => response.destroy());
  });
  await listen(server, port, '127.0.0.1');
  return entity;
}
