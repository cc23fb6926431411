import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import * as client from 'openid-client';
import { freePort } from '../../src/shared/free-port.js';
import { authorizationUrl, discoverProvider } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { loadFederationKeys } from '../../src/federation/op/federation-keys.js';
import { ACR } from '../../src/oidc/acr.js';
import { anchorPath, enrollEntity, initAnchor, revokeTrustMarks, startAnchorServer, type AnchorServer } from '../../src/simulator/federation/index.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { startFederatedRpEntity, type FederatedRpEntity } from '../federation/op/support/federated-rp-entity.js';

// Issue 14 item 8: a full card login of an RP known only through the federation — its entity
// configuration served here, enrolled at the local trust anchor (src/simulator/federation), no
// static registration — with openid-client as the RP; then the reference Node RP's request shape.

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

let dir: string;
let anchor: AnchorServer;
let anchorId: string;
let stack: TestStack;
let rp: FederatedRpEntity;
let rpKeys: RelyingPartyKeys;
let rpConfig: client.Configuration;
let anchorDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-fed-e2e-'));
  anchorDir = join(dir, 'anchor');
  const anchorPort = await freePort();
  anchorId = `http://127.0.0.1:${anchorPort}/`;
  // Legacy mode: the anchor's trust-anchors file relaxes request objects (the reference RPs') for its RPs.
  await initAnchor(anchorDir, { entityId: anchorId, legacy: true });
  anchor = await startAnchorServer(anchorDir, { port: anchorPort });
  rpKeys = await loadRelyingPartyKeys(join(dir, 'rp-keys.json'));
  rp = await startFederatedRpEntity(await freePort(), anchorId, rpKeys);
  const enrolled = await enrollEntity(anchorDir, { entityId: rp.entityId, entityType: 'openid_relying_party', jwks: rp.federationJwks, protocolJwks: rpKeys.publicJwks as never, organizationName: 'Comune Federato' });
  rp.trustMarks = [{ trust_mark_type: enrolled.trustMark.type, id: enrolled.trustMark.type, trust_mark: enrolled.trustMark.jwt }];

  // Status interval 0: the RP's trust mark is asked about at every login (the last test revokes it).
  stack = await startTestStack({ providerEnv: { FEDERATION_TRUST_ANCHORS: anchorPath(anchorDir, 'trustAnchors'), FEDERATION_TRUST_MARK_STATUS_INTERVAL: '0' } });
  // The provider joins the anchor too: its entity configuration then carries the anchor's trust mark.
  await enrollEntity(anchorDir, { entityId: stack.issuer, entityType: 'openid_provider', jwks: (await loadFederationKeys(stack.providerConfig.keysDir, false)).publicJwks });
  rpConfig = await discoverProvider(stack.issuer, rp.metadata, rpKeys);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await rp?.close();
  await anchor?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function federatedFlow(): CardLoginFlow {
  return new CardLoginFlow({ ...stack, rp: { config: rpConfig, keys: rpKeys, redirectUri: rp.redirectUri, clientId: rp.entityId } });
}

test('an RP known only through the trust anchor logs a citizen in with the card: level 3, signed+encrypted userinfo', async () => {
  const flow = federatedFlow();
  const loginPage = await flow.openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(loginPage.body).toContain('Comune Federato');
  const consent = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN));
  expect(consent.status).toBe(200);
  const callback = await flow.allowConsent(consent);
  expect(callback.url.startsWith(rp.redirectUri)).toBe(true);
  const { idToken, userinfo } = await flow.finish(callback);
  expect(idToken.aud).toBe(rp.entityId);
  expect(idToken.acr).toBe(ACR.L3);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
  expect(idToken.sub).not.toContain(DEMO_HOLDER.fiscalCode);
});

test('the provider\'s entity configuration names the anchor and carries the trust mark the anchor gave it', async () => {
  const claims = decodeJwt(await (await fetch(`${stack.issuer}/.well-known/openid-federation`)).text());
  expect(claims.authority_hints).toEqual([anchorId]);
  expect(claims.trust_marks).toEqual([expect.objectContaining({ trust_mark_type: `${anchorId}openid_provider/public/` })]);
});

test('the reference Node RP\'s request shape (no exp, no jti, a sub, aud [op, endpoint], every parameter repeated in the query) is accepted through the anchor\'s legacy setting', async () => {
  const flow = federatedFlow();
  const random = () => randomBytes(24).toString('base64url');
  const codeVerifier = client.randomPKCECodeVerifier();
  const [state, nonce] = [random(), random()];
  const endpoint = `${stack.issuer}/auth`;
  const claims = { userinfo: { given_name: null, family_name: null, [FISCAL_NUMBER]: { essential: true } } };
  const iat = Math.floor(Date.now() / 1000);
  const fields = {
    scope: 'openid',
    redirect_uri: rp.redirectUri,
    response_type: 'code',
    nonce,
    state,
    client_id: rp.entityId,
    endpoint,
    acr_values: ACR.L2,
    iat,
    aud: [`${stack.issuer}/`, endpoint],
    claims,
    prompt: 'consent login',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  const request = await new SignJWT({ ...fields, iss: rp.entityId, sub: rp.entityId }).setProtectedHeader({ alg: 'RS256', kid: rpKeys.signing.kid }).sign(rpKeys.signing.key);
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value));
  url.searchParams.set('request', request);

  const loginPage = await flow.browser.get(url.href);
  expect(loginPage.status).toBe(200);
  expect(loginPage.body).toContain('Comune Federato');
  flow.pending = { state, nonce, codeVerifier };
  const consent = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN));
  const callback = await flow.allowConsent(consent);
  expect(callback.url.startsWith(rp.redirectUri)).toBe(true);
  const { userinfo } = await flow.finish(callback);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
});

test('once the anchor revokes the RP\'s trust mark its next login is refused: the error page, no redirect to the RP', async () => {
  await revokeTrustMarks(anchorDir, rp.entityId);
  const { url } = await authorizationUrl(rpConfig, rp.redirectUri, rpKeys, 'openid profile');
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(400);
  expect(answer.headers.get('location')).toBeNull();
  expect(await answer.text()).toContain('data-code="invalid_client"');
});
