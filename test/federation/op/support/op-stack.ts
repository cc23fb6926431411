import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProviderConfig, type ProviderConfig } from '../../../../src/config/config.js';
import { freePort } from '../../../../src/shared/free-port.js';
import { relyingPartyMetadata } from '../../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../../../src/demo-rp/rp-keys.js';
import { loadFederationKeys, type FederationKeys } from '../../../../src/federation/op/federation-keys.js';
import type { TrustAnchorSetting } from '../../../../src/federation/trust-anchors-file.js';
import { createProviderApp, type ProviderApp } from '../../../../src/provider-app.js';
import { closeNow, listen } from '../../../../src/shared/http-server.js';
import { closeProviderDatabase } from '../../../../src/registry-wiring.js';
import { createRootCertificate } from '../../../../src/simulator/pki/ca-certificates.js';
import { newKeys } from '../../../cie/fixtures/test-pki.js';
import { RP, RP_PUBLIC, TA, standardFederation } from '../../../support/federation/standard-federation.js';
import type { TestFederation } from '../../../support/federation/test-federation.js';

export const OP_TRUST_MARK = `${TA}/openid_provider/public/`;

/** An RP with its own keys: known only through the federation (federated) or from the clients list (static). */
export interface KeyedRp {
  clientId: string;
  redirectUri: string;
  keys: RelyingPartyKeys;
}

export interface OpStack {
  issuer: string;
  dir: string;
  config: ProviderConfig;
  app: ProviderApp;
  federation: TestFederation;
  federationKeys: FederationKeys;
  /** https://rp.example, under the anchor with its trust mark, with real keys in its metadata. */
  rp: KeyedRp;
  /** A CLIENTS_FILE-style RP of the same shape, never resolved through the federation. */
  staticRp: KeyedRp;
  /** The provider's log lines (federation refusals, resolutions). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface OpStackOptions {
  /** No FEDERATION_TRUST_ANCHORS at all. */
  noFederation?: boolean;
  /** The anchor's legacy_request_objects setting. */
  legacyRequestObjects?: TrustAnchorSetting['legacyRequestObjects'];
  /** More provider settings (environment-variable form); they win. */
  env?: Record<string, string>;
  /** ISSUER path (e.g. "/oidc/op"). */
  issuerPath?: string;
  /** FEDERATION_TRUST_MARKS: a file holding these trust marks about the provider, signed by the anchor. */
  trustMarksFile?: string[];
}

/** A self-signed CA certificate file: the provider needs some CIE trust anchor to start. */
async function cieTrustAnchorFile(dir: string): Promise<string> {
  const path = join(dir, 'cie-root.pem');
  await writeFile(path, (await createRootCertificate(await newKeys(), '01', new Date())).toString('pem'));
  return path;
}

/**
 * The real provider app (createProviderApp) on a free port, its federation being the chain tests'
 * in-memory one (test/support/federation): the anchor requires RP_PUBLIC, the RP holds it, and the
 * anchor has enrolled the provider with an OP trust mark in its statement about it.
 */
export async function startOpStack(options: OpStackOptions = {}): Promise<OpStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-fed-op-'));
  const port = await freePort();
  const issuer = `http://localhost:${port}${options.issuerPath ?? ''}`;
  const keysDir = join(dir, 'keys');
  const federationKeys = await loadFederationKeys(keysDir, true);
  const federation = await standardFederation();
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'rp.json'));
  const rpMetadata = federation.entity(RP).metadata.openid_relying_party!;
  rpMetadata.jwks = rpKeys.publicJwks;
  rpMetadata.redirect_uris = [`${RP}/callback`];
  federation.enroll(TA, issuer, {
    jwks: federationKeys.publicJwks,
    extraClaims: { trust_marks: [await federation.trustMark(TA, issuer, OP_TRUST_MARK, {}, 'id')] },
  });
  const anchorsFile = join(dir, 'trust-anchors.json');
  const anchor = federation.anchorSetting(TA, [RP_PUBLIC]);
  await writeFile(anchorsFile, JSON.stringify([{ entity_id: anchor.entityId, jwks: anchor.jwks, required_trust_marks: anchor.requiredTrustMarks, legacy_request_objects: options.legacyRequestObjects ?? false }]));

  const trustMarksFile = join(dir, 'own-trust-marks.json');
  if (options.trustMarksFile) await writeFile(trustMarksFile, JSON.stringify(await Promise.all(options.trustMarksFile.map((type) => federation.trustMark(TA, issuer, type)))));

  const staticOrigin = `http://localhost:${await freePort()}`;
  const staticKeys = await loadRelyingPartyKeys(join(dir, 'static-rp.json'));
  const config = loadProviderConfig({
    ISSUER: issuer,
    PORT: String(port),
    HOST: '127.0.0.1',
    KEYS_DIR: keysDir,
    CIE_TRUST_ANCHORS: await cieTrustAnchorFile(dir),
    CIE_INTERMEDIATES: '',
    ...(options.noFederation ? {} : { FEDERATION_TRUST_ANCHORS: anchorsFile }),
    ...(options.trustMarksFile ? { FEDERATION_TRUST_MARKS: trustMarksFile } : {}),
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const app = await createProviderApp({
    config,
    extraClients: [relyingPartyMetadata(staticOrigin, 'RP statico', staticKeys)],
    audit: () => undefined,
    federation: { fetcher: federation.fetcher, now: () => federation.now, log: (line) => logs.push(line) },
  });
  const server = createServer(app.provider.callback());
  await listen(server, port, '127.0.0.1');
  return {
    issuer,
    dir,
    config,
    app,
    federation,
    federationKeys,
    rp: { clientId: RP, redirectUri: `${RP}/callback`, keys: rpKeys },
    staticRp: { clientId: staticOrigin, redirectUri: `${staticOrigin}/callback`, keys: staticKeys },
    logs,
    close: async () => {
      await closeNow(server);
      app.close();
      await app.store.close();
      // The credentials' database, if a test opened it (the provider process closes it at its exit).
      await closeProviderDatabase(config);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
