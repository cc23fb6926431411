import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { ACR } from '../../src/oidc/acr.js';
import { authorizationRequest, authorize } from './support/request-object.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

const toInteraction = (outcome: { status: number; location?: URL }) => outcome.status === 303 && /^\/interaction\/[^/]+$/.test(outcome.location?.pathname ?? '');

test('a signed request object meeting every rule starts the login (GET)', async () => {
  const outcome = await authorize(await authorizationRequest(stack, stack.rp));
  expect(toInteraction(outcome)).toBe(true);
});

test('form_post is accepted as response mode; fragment is not', async () => {
  expect(toInteraction(await authorize(await authorizationRequest(stack, stack.rp, { response_mode: 'form_post' })))).toBe(true);
  expect((await authorize(await authorizationRequest(stack, stack.rp, { response_mode: 'fragment' }))).error).toBe('invalid_request_object');
});

test('over http a POST to the authorization endpoint gets a 303 to the same request as GET, which starts the login', async () => {
  const url = await authorizationRequest(stack, stack.rp);
  const response = await fetch(new URL('/auth', stack.issuer), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: url.searchParams.toString() });
  expect(response.status).toBe(303);
  const asGet = new URL(response.headers.get('location')!);
  expect(`${asGet.origin}${asGet.pathname}`).toBe(`${stack.issuer}/auth`);
  expect([...asGet.searchParams]).toEqual([...url.searchParams]);
  expect(toInteraction(await authorize(asGet))).toBe(true);
});

test('without a request object the request is refused with a 400 page, not a redirect', async () => {
  const url = await authorizationRequest(stack, stack.rp, {}, { request: undefined, redirect_uri: stack.rp.redirectUri, state: 'x'.repeat(40) });
  const outcome = await authorize(url);
  // Nothing of it is verified: a registered redirect_uri outside must not make it a redirect carrying that state.
  expect(outcome).toMatchObject({ status: 400, error: 'invalid_request' });
  expect(outcome.location).toBeUndefined();
});

test('an unregistered redirect_uri gets a 400 page, never a redirect', async () => {
  const outcome = await authorize(await authorizationRequest(stack, stack.rp, { redirect_uri: 'https://evil.example/cb' }));
  expect(outcome.status).toBe(400);
  expect(outcome.location).toBeUndefined();
  expect(outcome.error).toBe('invalid_redirect_uri');
});

test('a request object signed by another key is refused, without redirect', async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const url = await authorizationRequest(stack, stack.rp, {}, {}, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid }).sign(privateKey));
  const outcome = await authorize(url);
  expect(outcome).toMatchObject({ status: 400, error: 'invalid_request_object' });
  expect(outcome.location).toBeUndefined();
});

test('request objects with alg none or HS256 are refused', async () => {
  const unsigned = await authorizationRequest(stack, stack.rp, {}, {}, async (payload) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`);
  expect((await authorize(unsigned)).error).toBe('invalid_request_object');
  const hmac = await authorizationRequest(stack, stack.rp, {}, {}, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32)));
  expect((await authorize(hmac)).error).toBe('invalid_request_object');
});

// Each profile rule, broken on its own (SPID/CIE OIDC guidelines: authorization request, request object — docs/references.md), and how the error is answered
// (§7): a 400 page while the client, its redirect_uri or the request object's signature and JWT
// claims (iss, aud, exp) are not established; otherwise a redirect to the registered redirect_uri
// with error, error_description, the request object's state and iss (RFC 9207).
type Answer = 'page' | 'redirect';
const brokenRules: Array<[string, Record<string, unknown>, Record<string, string | undefined>, string, Answer]> = [
  ['iss is not the client_id', { iss: 'https://other.example' }, {}, 'invalid_request_object', 'page'],
  ['aud is not the issuer', { aud: 'https://other.example' }, {}, 'invalid_request_object', 'page'],
  ['aud holds another party besides the issuer', { aud: ['ISSUER', 'https://other.example'] }, {}, 'invalid_request_object', 'redirect'],
  ['the request object has expired', { exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 700 }, {}, 'invalid_request_object', 'page'],
  ['client_id inside differs from outside', {}, { client_id: 'http://rp-enc.localhost:4002' }, 'invalid_request_object', 'page'],
  ['exp is missing', { exp: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['jti is missing', { jti: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['iat is missing', { iat: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['response_type inside differs from outside', {}, { response_type: 'id_token' }, 'invalid_request_object', 'redirect'],
  ['response_type is not code', { response_type: 'code id_token' }, { response_type: 'code id_token' }, 'unsupported_response_type', 'redirect'],
  ['scope outside differs from inside', {}, { scope: 'openid' }, 'invalid_request_object', 'redirect'],
  ['code_challenge outside differs from inside', {}, { code_challenge: 'x'.repeat(43) }, 'invalid_request_object', 'redirect'],
  ['redirect_uri outside differs from inside', {}, { redirect_uri: 'http://rp-enc.localhost:4002/callback' }, 'invalid_request_object', 'redirect'],
  ['a parameter is sent outside only', {}, { login_hint: 'mario' }, 'invalid_request_object', 'redirect'],
  ['code_challenge_method plain', { code_challenge_method: 'plain' }, { code_challenge_method: 'plain' }, 'invalid_request', 'redirect'],
  ['PKCE missing altogether', { code_challenge: undefined, code_challenge_method: undefined }, { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request', 'redirect'],
  ['scope without openid', { scope: 'profile' }, { scope: 'profile' }, 'invalid_request', 'redirect'],
  ['redirect_uri missing', { redirect_uri: undefined }, {}, 'invalid_request', 'page'],
  ['nonce shorter than 32 characters', { nonce: 'n'.repeat(31) }, {}, 'invalid_request_object', 'redirect'],
  ['state shorter than 32 characters', { state: 's'.repeat(31) }, {}, 'invalid_request_object', 'redirect'],
  ['nonce missing', { nonce: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['prompt login alone', { prompt: 'login' }, {}, 'invalid_request_object', 'redirect'],
  ['prompt missing', { prompt: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['acr_values missing', { acr_values: undefined }, {}, 'invalid_request_object', 'redirect'],
  ['acr_values unknown', { acr_values: 'http://eidas.europa.eu/LoA/high' }, {}, 'invalid_request_object', 'redirect'],
  ['claims of the wrong shape', { claims: { userinfo: ['given_name'] } }, {}, 'invalid_request', 'redirect'],
];

test.each(brokenRules)('refused when %s', async (_rule, claims, outer, error, answer) => {
  const withIssuer = Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? v.map((e) => (e === 'ISSUER' ? stack.issuer : e)) : v]));
  const state = typeof claims.state === 'string' ? claims.state : 'S'.repeat(40);
  const outcome = await authorize(await authorizationRequest(stack, stack.rp, { state, ...withIssuer }, outer));
  expect(outcome.error).toBe(error);
  if (answer === 'page') {
    expect(outcome.status).toBe(400);
    expect(outcome.location).toBeUndefined();
  } else {
    expect(outcome.status).toBe(303);
    expect(outcome.location!.href.startsWith(stack.rp.redirectUri)).toBe(true);
    expect(outcome.response!.get('iss')).toBe(stack.issuer);
    expect(outcome.response!.get('state')).toBe(state);
    expect(outcome.response!.get('error_description')).toBeTruthy();
  }
});

test('only client_id and request (a JAR client): accepted; the request object\'s values are the ones used', async () => {
  const url = await authorizationRequest(stack, stack.rp, {}, { scope: undefined, response_type: undefined, code_challenge: undefined, code_challenge_method: undefined });
  expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request']);
  expect(toInteraction(await authorize(url))).toBe(true);
});

test('scope, code_challenge or code_challenge_method missing outside: accepted', async () => {
  for (const name of ['scope', 'code_challenge', 'code_challenge_method']) {
    expect(toInteraction(await authorize(await authorizationRequest(stack, stack.rp, {}, { [name]: undefined })))).toBe(true);
  }
});

test('every parameter repeated outside with the value inside (as the italia Node RP sends them): accepted', async () => {
  const url = await authorizationRequest(stack, stack.rp, { claims: { userinfo: { email: null } } });
  const inside = decodeJwt(url.searchParams.get('request')!);
  for (const name of ['redirect_uri', 'state', 'nonce', 'prompt', 'acr_values']) url.searchParams.set(name, String(inside[name]));
  url.searchParams.set('claims', JSON.stringify(inside.claims));
  expect(toInteraction(await authorize(url))).toBe(true);
});

test('an unverifiable request object gets the 400 page even when a registered redirect_uri is sent outside', async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await authorizationRequest(stack, stack.rp, {}, { redirect_uri: stack.rp.redirectUri }, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid }).sign(privateKey));
  const outcome = await authorize(forged);
  expect(outcome).toMatchObject({ status: 400, error: 'invalid_request_object' });
  expect(outcome.location).toBeUndefined();
  const expired = await authorizationRequest(stack, stack.rp, { exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 700 }, { redirect_uri: stack.rp.redirectUri });
  expect((await authorize(expired)).location).toBeUndefined();
});

test('HEAD (which the library serves as GET) hides the outer redirect_uri too: an unverifiable request object gets the 400 page', async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await authorizationRequest(stack, stack.rp, {}, { redirect_uri: stack.rp.redirectUri, state: 'F'.repeat(40) }, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid }).sign(privateKey));
  const outcome = await authorize(forged, { method: 'HEAD' });
  expect(outcome.status).toBe(400);
  expect(outcome.location).toBeUndefined();
});

test('an unknown client gets the 400 page', async () => {
  const outcome = await authorize(await authorizationRequest(stack, stack.rp, {}, { client_id: 'https://unknown.example' }));
  expect(outcome.status).toBe(400);
  expect(outcome.location).toBeUndefined();
});

test('several acr_values in order of preference, and claims of the right shape, are accepted', async () => {
  const url = await authorizationRequest(stack, stack.rp, { acr_values: `${ACR.L2} ${ACR.L3}`, claims: { id_token: { given_name: null }, userinfo: { email: { essential: true } } } });
  expect(toInteraction(await authorize(url))).toBe(true);
});

test('a request object is single use: replaying the same authorization URL is refused', async () => {
  const url = await authorizationRequest(stack, stack.rp);
  expect(toInteraction(await authorize(url))).toBe(true);
  expect((await authorize(url)).error).toBe('invalid_request_object');
});

test('without jti (a legacy_request_objects client), the nonce makes the request object single use', async () => {
  const url = await authorizationRequest(stack, stack.legacyRp, { jti: undefined });
  expect(toInteraction(await authorize(url))).toBe(true);
  expect((await authorize(url)).error).toBe('invalid_request_object');
});

// oidc-provider's router serves the authorization endpoint whatever the letter case and with one
// trailing slash, and HEAD as GET: every such spelling gets the same outer-parameter rules.
describe.each(['/auth/', '/AUTH'])('the authorization endpoint spelled %s', (path) => {
  const at = (url: URL) => Object.assign(new URL(url), { pathname: path });

  test('a valid request object starts the login', async () => {
    expect(toInteraction(await authorize(at(await authorizationRequest(stack, stack.rp))))).toBe(true);
  });

  test('a request object signed by another key, with a registered redirect_uri and a state outside: the 400 page, not a redirect (GET and HEAD)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forge = (payload: Record<string, unknown>) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid }).sign(privateKey);
    const outer = { redirect_uri: stack.rp.redirectUri, state: 'F'.repeat(40) };
    const outcome = await authorize(at(await authorizationRequest(stack, stack.rp, {}, outer, forge)));
    expect(outcome).toMatchObject({ status: 400, error: 'invalid_request_object' });
    expect(outcome.location).toBeUndefined();
    const head = await authorize(at(await authorizationRequest(stack, stack.rp, {}, outer, forge)), { method: 'HEAD' });
    expect(head.status).toBe(400);
    expect(head.location).toBeUndefined();
  });

  test('a state outside that differs from the one inside is refused (redirected with the inside state)', async () => {
    const state = 'S'.repeat(40);
    const outcome = await authorize(at(await authorizationRequest(stack, stack.rp, { state }, { state: 'F'.repeat(40) })));
    expect(outcome).toMatchObject({ status: 303, error: 'invalid_request_object' });
    expect(outcome.response!.get('state')).toBe(state);
  });

  test('without a request object: the 400 page, not a redirect', async () => {
    const outcome = await authorize(at(await authorizationRequest(stack, stack.rp, {}, { request: undefined, redirect_uri: stack.rp.redirectUri, state: 'G'.repeat(40) })));
    expect(outcome).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(outcome.location).toBeUndefined();
  });
});
