import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { parseDeviceAuthKeys } from '../../../src/card/index.js';
import { loadProviderConfig } from '../../../src/config/config.js';
import type { CredentialsRoom } from '../../../src/credentials/credentials-room.js';
import { completeLogin, discoverProvider, relyingPartyMetadata, type PendingLogin } from '../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { LocalOutbox } from '../../../src/mail/local-outbox.js';
import { ACR } from '../../../src/oidc/acr.js';
import { loadFileDirectory } from '../../../src/oidc/attribute-directory.js';
import { createProviderApp } from '../../../src/provider-app.js';
import { AccessRegistry } from '../../../src/registry/access-registry.js';
import { loadRegistryKeys } from '../../../src/registry/registry-keys.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { freePort } from '../../../src/shared/free-port.js';
import { certifyDevice } from '../../../src/simulator/app/device-enrolment.js';
import { DeviceKeyStore } from '../../../src/simulator/app/device-key-store.js';
import { PhoneCardReader } from '../../../src/simulator/app/phone-card-reader.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { DEMO_HOLDER, DEMO_PIN, prepareDemoEnvironment, type DemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { createMemoryAdapterFactory } from '../../../src/storage/adapters/memory-adapter.js';
import { openPglite } from '../../../src/storage/database/pglite-database.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { formIn, type BrowserResponse, type TestBrowser } from '../../support/test-browser.js';

export const EMAIL = 'mario.rossi@example.it';
export const PASSWORD = 'Girasole2024x';
export const SECURITY_CODE = '482915';

export interface AppFactorStack {
  issuer: string;
  environment: DemoEnvironment;
  rp: { config: client.Configuration; keys: RelyingPartyKeys; redirectUri: string; clientId: string };
  credentials: CredentialsRoom;
  registry: AccessRegistry;
  /** The CieID-app simulator's NFC reader on a fresh virtual card of the demo holder. */
  phoneReader(): Promise<PhoneCardReader>;
  /** A phone certified for this provider with the demo holder's card: its key store (the key sealed under SECURITY_CODE) and its device id. */
  certifiedPhone(name?: string): Promise<{ store: DeviceKeyStore; deviceId: string }>;
  /** An authorization request (signed request object) asking `acr`, and its state for openid-client. */
  authorization(acr?: string): Promise<{ url: URL; pending: PendingLogin }>;
  close(): Promise<void>;
}

/**
 * The real provider app (its app-approval room, password and card rooms, the verifier chain on the
 * test PKI) with an access registry and the credentials on one PGlite database in memory, and the
 * demo holder's password credentials activated (as after a card sign-in). No bridge: the card is read
 * by the app simulator only. The RP is the demo RP's registration, driven by openid-client.
 */
export async function startAppFactorStack(env: Record<string, string> = {}): Promise<AppFactorStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-app-factor-'));
  const ports = { provider: await freePort(), rp: await freePort(), pki: await freePort() };
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const issuer = `http://127.0.0.1:${ports.provider}`;
  const rpUrl = `http://127.0.0.1:${ports.rp}`;
  const keysDir = join(dir, 'keys');
  const providerConfig = loadProviderConfig({
    ISSUER: issuer,
    PORT: String(ports.provider),
    HOST: '127.0.0.1',
    KEYS_DIR: keysDir,
    BRIDGE_URL: 'http://127.0.0.1:9',
    CIE_TRUST_ANCHORS: environment.trustAnchorPath,
    CIE_INTERMEDIATES: environment.intermediatePath,
    PASSWORD_HASH_COST: '10',
    ...env,
  });
  const db = await openPglite();
  const shared = { ...db, close: async () => {} };
  const registry = new AccessRegistry(shared, await loadRegistryKeys(keysDir, true));
  await registry.ready();
  const store = new MemoryStateStore();
  const outbox = new LocalOutbox();
  const rpKeys = await loadRelyingPartyKeys(join(keysDir, 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const app = await createProviderApp({
    config: providerConfig,
    extraClients: [metadata],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    registry,
    storage: { store, adapter: createMemoryAdapterFactory({ clockToleranceSeconds: providerConfig.clockToleranceSeconds }) },
    credentials: { database: async () => shared, mailer: outbox },
    audit: () => {},
  });
  const server = createServer(app.provider.callback());
  await listen(server, ports.provider, '127.0.0.1');
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);

  // The citizen's credentials, activated as after a level-3 sign-in: username = e-mail, confirmed.
  const proof = { fiscalCode: DEMO_HOLDER.fiscalCode, acr: ACR.L3, claims: { given_name: DEMO_HOLDER.givenName, family_name: DEMO_HOLDER.familyName } };
  const codeId = await app.credentials.activation.begin(proof, { usernameKind: 'email', email: EMAIL, password: PASSWORD }, 'it');
  await app.credentials.activation.confirm(proof, codeId, /\b(\d{6})\b/.exec(outbox.list(EMAIL)[0]?.text ?? '')?.[1] ?? '');

  const deviceKeys = parseDeviceAuthKeys(JSON.parse(await readFile(environment.deviceKeysPath, 'utf8')));
  let cards = 0;
  const phoneReader = async () => new PhoneCardReader(new InProcessTerminal(openCardFile(await environment.mintCardFile(`phone-${++cards}`))), deviceKeys);
  const rp = { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id };

  return {
    issuer,
    environment,
    rp,
    credentials: app.credentials,
    registry,
    phoneReader,
    certifiedPhone: async (name = 'Pixel di Mario') => {
      const store = DeviceKeyStore.inMemory();
      const reader = await phoneReader();
      const { device } = await certifyDevice({ origin: issuer, name, pin: DEMO_PIN, securityCode: SECURITY_CODE, reader, store });
      await reader.close();
      return { store, deviceId: device.deviceId };
    },
    authorization: async (acr = ACR.L2) => {
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
      const outside = { scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', response_type: 'code' };
      const url = await client.buildAuthorizationUrlWithJAR(rpConfig, { ...outside, redirect_uri: rp.redirectUri, state: pending.state, nonce: pending.nonce, prompt: 'consent login', acr_values: acr }, { key: rpKeys.signing.key, kid: rpKeys.signing.kid });
      for (const [key, value] of Object.entries(outside)) url.searchParams.set(key, value);
      return { url, pending };
    },
    close: async () => {
      app.close();
      await Promise.all([closeNow(server), pkiServer.close()]);
      await store.close();
      await registry.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The consent page → "Consenti" → the RP's callback → openid-client: the ID token's claims. */
export async function consentAndIdToken(stack: AppFactorStack, browser: TestBrowser, consent: BrowserResponse, pending: PendingLogin) {
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(action, stack.issuer).href, fields, stack.issuer);
  if (!callback.url.startsWith(stack.rp.redirectUri)) throw new Error(`no callback: ${callback.status} ${callback.url} ${callback.body.slice(0, 300)}`);
  return (await completeLogin(stack.rp.config, new URL(callback.url), pending)).idToken;
}

/** The waiting page's "Continua" once the app answered: where the waiter sends the browser (the consent page). */
export async function continueAfterApp(stack: AppFactorStack, browser: TestBrowser, waiting: BrowserResponse): Promise<BrowserResponse> {
  const { action } = formIn(waiting.body, { action: /\/finish$/ });
  return browser.post(new URL(action, stack.issuer).href, {}, stack.issuer);
}
