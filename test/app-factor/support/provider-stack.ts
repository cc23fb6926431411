import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import * as client from 'openid-client';
import { parseDeviceAuthKeys } from '../../../src/card/index.js';
import { loadProviderConfig } from '../../../src/config/config.js';
import { completeLogin, discoverProvider, relyingPartyMetadata, type PendingLogin } from '../../../src/demo-rp/rp-client.js';
import { formIn, TestBrowser, type BrowserResponse } from '../../support/test-browser.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { LocalOutbox } from '../../../src/mail/local-outbox.js';
import { ACR } from '../../../src/oidc/acr.js';
import { loadFileDirectory } from '../../../src/oidc/attribute-directory.js';
import { createProviderApp, type ProviderApp } from '../../../src/provider-app.js';
import { AccessRegistry } from '../../../src/registry/access-registry.js';
import { loadRegistryKeys } from '../../../src/registry/registry-keys.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { freePort } from '../../../src/shared/free-port.js';
import { appAssertion, appDigest } from '../../../src/simulator/app/app-assertion.js';
import { PhoneCardReader } from '../../../src/simulator/app/phone-card-reader.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { DEMO_HOLDER, DEMO_PIN, prepareDemoEnvironment, type DemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { createMemoryAdapterFactory } from '../../../src/storage/adapters/memory-adapter.js';
import { openTestPglite } from '../../support/pglite-template.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';

export const EMAIL = 'mario.rossi@example.it';
export const PASSWORD = 'Girasole2024x';

/** A "device" made in the test with jose (not the app simulator): an ES256 key pair and, once enrolled, its id. */
export interface TestDevice {
  privateKey: CryptoKey;
  publicJwk: JWK;
  deviceId: string;
}

export interface ProviderStack {
  issuer: string;
  app: ProviderApp;
  environment: DemoEnvironment;
  /** The access registry on the credentials' database, when the stack was started with one. */
  registry?: AccessRegistry;
  /** The CieID-app simulator's NFC reader on a fresh virtual card of the demo holder. */
  phoneReader(): Promise<PhoneCardReader>;
  /** POST JSON to the provider (no cookie, as the app): status and JSON body. */
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  newKey(): Promise<{ privateKey: CryptoKey; publicJwk: JWK }>;
  /** A card read of the demo holder (or of a freshly minted card of `holder`) signing `challenge` for `origin`. */
  cardAssertion(challenge: string, origin?: string): Promise<Record<string, unknown>>;
  /** The whole enrolment, done right: a certified device of the demo holder. */
  enrol(name?: string): Promise<TestDevice>;
  /** A device-signed request (header and payload overridable, to make them wrong). */
  signed(device: Pick<TestDevice, 'privateKey' | 'deviceId'>, fields?: Record<string, unknown>, options?: { header?: Record<string, unknown>; payload?: Record<string, unknown> }): Promise<string>;
  authorization(acr?: string): Promise<{ url: URL; pending: PendingLogin }>;
  rp: { config: client.Configuration; keys: RelyingPartyKeys; redirectUri: string; clientId: string };
  close(): Promise<void>;
}

/**
 * The real provider app (createProviderApp: the app-approval room, the password and card rooms, the
 * verifier chain on the test PKI with its OCSP responder), credentials on PGlite in memory, the demo
 * holder's password activated (as after a card sign-in). The card is read with the simulator's NFC
 * reader on a virtual card; the device is the test's own jose key. With `registry`, an access registry
 * shares the credentials' database, as deployed.
 */
export async function startProviderStack(env: Record<string, string> = {}, options: { registry?: boolean } = {}): Promise<ProviderStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-app-provider-'));
  const ports = { provider: await freePort(), rp: await freePort(), pki: await freePort() };
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const issuer = `http://127.0.0.1:${ports.provider}`;
  const keysDir = join(dir, 'keys');
  const config = loadProviderConfig({
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
  const db = await openTestPglite();
  // The registry and the credentials share one database, which only the stack closes.
  const shared = { ...db, close: async () => {} };
  const registry = options.registry ? new AccessRegistry(shared, await loadRegistryKeys(keysDir, true)) : undefined;
  await registry?.ready();
  const store = new MemoryStateStore();
  const outbox = new LocalOutbox();
  const rpKeys = await loadRelyingPartyKeys(join(keysDir, 'demo-rp.json'));
  const rpUrl = `http://127.0.0.1:${ports.rp}`;
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const app = await createProviderApp({
    config,
    extraClients: [metadata],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    ...(registry ? { registry } : {}),
    storage: { store, adapter: createMemoryAdapterFactory({ clockToleranceSeconds: config.clockToleranceSeconds }) },
    credentials: { database: async () => shared, mailer: outbox },
    audit: () => {},
  });
  const server = createServer(app.provider.callback());
  await listen(server, ports.provider, '127.0.0.1');
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);

  const proof = { fiscalCode: DEMO_HOLDER.fiscalCode, acr: ACR.L3, claims: { given_name: DEMO_HOLDER.givenName, family_name: DEMO_HOLDER.familyName } };
  const codeId = await app.credentials.activation.begin(proof, { usernameKind: 'email', email: EMAIL, password: PASSWORD }, 'it');
  await app.credentials.activation.confirm(proof, codeId, /\b(\d{6})\b/.exec(outbox.list(EMAIL)[0]?.text ?? '')?.[1] ?? '');

  const deviceKeys = parseDeviceAuthKeys(JSON.parse(await readFile(environment.deviceKeysPath, 'utf8')));
  let cards = 0;
  const post: ProviderStack['post'] = async (path, body) => {
    const response = await fetch(`${issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': 'it' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  };
  const newKey = async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const { kty, crv, x, y } = await exportJWK(pair.publicKey);
    return { privateKey: pair.privateKey, publicJwk: { kty, crv, x, y } };
  };
  const phoneReader = async () => new PhoneCardReader(new InProcessTerminal(openCardFile(await environment.mintCardFile(`phone-${++cards}`))), deviceKeys);
  const cardAssertion = async (challenge: string, origin = issuer) => {
    const reader = await phoneReader();
    try {
      const { signature, certificate } = await reader.sign(DEMO_PIN, appDigest(origin, challenge));
      return JSON.parse(appAssertion({ origin, challenge, certificate, signature })) as Record<string, unknown>;
    } finally {
      await reader.close();
    }
  };
  const proofFor = (privateKey: CryptoKey, payload: Record<string, unknown>) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ: 'cieid-app-enrol+jwt' }).sign(privateKey);
  return {
    issuer,
    app,
    environment,
    ...(registry ? { registry } : {}),
    phoneReader,
    post,
    newKey,
    cardAssertion,
    enrol: async (name = 'Pixel di Mario') => {
      const opened = await post('/app/devices/enrolments', {});
      const enrolment = String(opened.body.enrolment);
      const challenge = String(opened.body.challenge);
      const key = await newKey();
      const proof = await proofFor(key.privateKey, { enrolment, challenge, aud: issuer, iat: Math.floor(Date.now() / 1000) });
      const done = await post(`/app/devices/enrolments/${enrolment}`, { assertion: await cardAssertion(challenge), device: { public_jwk: key.publicJwk, name }, proof });
      if (done.status !== 201) throw new Error(`enrolment refused: ${JSON.stringify(done.body)}`);
      return { ...key, deviceId: String(done.body.device_id) };
    },
    signed: (device, fields = {}, options = {}) => {
      const payload = { aud: issuer, iat: Math.floor(Date.now() / 1000), jti: randomBytes(18).toString('base64url'), ...fields, ...options.payload };
      const header = { alg: 'ES256', typ: 'cieid-app+jwt', kid: device.deviceId, ...options.header };
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(device.privateKey);
    },
    authorization: async (acr = ACR.L2) => {
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
      const outside = { scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', response_type: 'code' };
      const url = await client.buildAuthorizationUrlWithJAR(rpConfig, { ...outside, redirect_uri: `${rpUrl}/callback`, state: pending.state, nonce: pending.nonce, prompt: 'consent login', acr_values: acr }, { key: rpKeys.signing.key, kid: rpKeys.signing.kid });
      for (const [key, value] of Object.entries(outside)) url.searchParams.set(key, value);
      return { url, pending };
    },
    rp: { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id },
    close: async () => {
      app.close();
      await Promise.all([closeNow(server), pkiServer.close()]);
      await store.close();
      await registry?.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The login page for `acr`: its uid and the start paths of the methods it offers, in order. */
export async function loginPage(stack: ProviderStack, acr: string, browser = new TestBrowser(stack.rp.redirectUri)) {
  const { url, pending } = await stack.authorization(acr);
  const page = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1];
  if (page.status !== 200 || !uid) throw new Error(`no login page: ${page.status} ${page.url} ${page.body.slice(0, 300)}`);
  const starts = [...page.body.matchAll(/<form method="post" action="\/interaction\/[^/]+\/([^"]+)"/g)].map((match) => match[1]!);
  return { browser, page, uid, pending, starts };
}

/** Consent, then the RP's callback, then code → tokens → userinfo with openid-client. */
export async function consentAndTokens(stack: ProviderStack, browser: TestBrowser, consent: BrowserResponse, pending: PendingLogin) {
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(action, stack.issuer).href, fields, stack.issuer);
  if (!callback.url.startsWith(stack.rp.redirectUri)) throw new Error(`no callback: ${callback.status} ${callback.url} ${callback.body.slice(0, 300)}`);
  return completeLogin(stack.rp.config, new URL(callback.url), pending);
}

/** The calling file's stack: started before its tests, closed after. */
export function useProviderStack(env: Record<string, string> = {}): ProviderStack {
  const handle = {} as ProviderStack;
  beforeAll(async () => {
    Object.assign(handle, await startProviderStack(env));
  }, 180_000);
  afterAll(async () => handle.close?.());
  return handle;
}
