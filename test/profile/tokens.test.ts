import { SignJWT, compactDecrypt, createLocalJWKSet, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { loginAtProvider, signIn } from './support/profile-login.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';
import { accountIdFor } from '../../src/oidc/accounts.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function assertionFor(audience: string, overrides: Record<string, unknown> = {}, alg = 'RS256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: stack.rp.clientId, sub: stack.rp.clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID(), ...overrides })
    .setProtectedHeader({ alg, kid: stack.rp.keys.signing.kid })
    .sign(stack.rp.keys.signing.key);
}

async function postForm(path: string, form: Record<string, string>) {
  const response = await fetch(new URL(path, stack.issuer), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

test('userinfo answers GET and POST with a JWT signed by the provider and encrypted to the RP (application/jwt)', async () => {
  const { tokens, idToken } = await signIn(stack, stack.rp);
  const keys = createLocalJWKSet(await (await fetch(`${stack.issuer}/jwks`)).json());
  for (const method of ['GET', 'POST'] as const) {
    const response = await client.fetchProtectedResource(stack.rp.config, tokens.access_token, new URL(`${stack.issuer}/me`), method);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwt/);
    const { plaintext, protectedHeader } = await compactDecrypt(await response.text(), stack.rp.keys.encryption.key);
    expect(protectedHeader).toMatchObject({ alg: 'RSA-OAEP', enc: 'A256CBC-HS512', cty: 'JWT', kid: stack.rp.keys.encryption.kid });
    const { payload } = await jwtVerify(new TextDecoder().decode(plaintext), keys, { issuer: stack.issuer, audience: stack.rp.clientId });
    expect(payload.sub).toBe(idToken.sub);
    expect(payload.family_name).toBe('Rossi');
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.iat).toEqual(expect.any(Number));
  }
});

test('no refresh token unless the citizen ticks offline access on the consent page', async () => {
  const declined = await signIn(stack, stack.rp, { scope: 'openid profile offline_access' });
  expect(declined.consent.body).toContain('name="offline_access"');
  expect(declined.tokens.refresh_token).toBeUndefined();
  const accepted = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  expect(accepted.tokens.refresh_token).toEqual(expect.any(String));
});

test('no refresh token without offline_access, even if ticked', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile', offline: true });
  expect(tokens.refresh_token).toBeUndefined();
});

test('a refresh returns a new access token and a rotated refresh token, never an ID token; the old refresh token is dead', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(refreshed.id_token).toBeUndefined();
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(refreshed.refresh_token).toEqual(expect.any(String));
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  const userinfo = await client.fetchUserInfo(stack.rp.config, refreshed.access_token, client.skipSubjectCheck);
  expect(userinfo.family_name).toBe('Rossi');
  await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('the refresh token lives at most 30 days, within an offline consent that outlives it', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const refreshToken = (await stack.provider.RefreshToken.find(tokens.refresh_token!))!;
  expect(refreshToken.exp! - refreshToken.iat!).toBeLessThanOrEqual(30 * 86400);
  const grant = (await stack.provider.Grant.find(refreshToken.grantId!))!;
  expect(grant.exp!).toBeGreaterThanOrEqual(refreshToken.exp!);
});

test('introspection answers only { active }, and false for a token of another client', async () => {
  const { tokens } = await signIn(stack, stack.rp);
  const mine = await client.tokenIntrospection(stack.rp.config, tokens.access_token);
  expect(Object.keys(mine).filter((k) => k !== 'active')).toEqual([]);
  expect(mine.active).toBe(true);
  const other = await client.tokenIntrospection(stack.encryptingRp.config, tokens.access_token);
  expect(other.active).toBe(false);
  expect((await client.tokenIntrospection(stack.rp.config, 'unknown-token')).active).toBe(false);
});

test('offline access outlives the login: after the session-long account record expires, refresh and userinfo still answer with the consented data', async () => {
  const { tokens, idToken } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  // The account record of a login lives as long as the session (SESSION_TTL); simulate its expiry.
  await stack.store.delete(`account:${accountIdFor(CITIZEN.fiscalCode)}`);
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  const response = await client.fetchProtectedResource(stack.rp.config, refreshed.access_token, new URL(`${stack.issuer}/me`), 'GET');
  expect(response.status).toBe(200);
  const { plaintext } = await compactDecrypt(await response.text(), stack.rp.keys.encryption.key);
  const { payload } = await jwtVerify(new TextDecoder().decode(plaintext), createLocalJWKSet(await (await fetch(`${stack.issuer}/jwks`)).json()));
  expect(payload).toMatchObject({ sub: idToken.sub, given_name: 'Mario', family_name: 'Rossi' });
});

test('without offline access nothing about the citizen outlives the account record', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile' });
  await stack.store.delete(`account:${accountIdFor(CITIZEN.fiscalCode)}`);
  const response = await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(response.status).toBe(401);
});

test('revocation answers 200 even for unknown tokens; revoking the AT keeps the RT, revoking the RT kills its AT', async () => {
  await expect(client.tokenRevocation(stack.rp.config, 'unknown-token')).resolves.toBeUndefined();
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  await client.tokenRevocation(stack.rp.config, tokens.access_token);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.access_token)).active).toBe(false);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.refresh_token!)).active).toBe(true);
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect((await client.tokenIntrospection(stack.rp.config, refreshed.access_token)).active).toBe(true);
  await client.tokenRevocation(stack.rp.config, refreshed.refresh_token!);
  expect((await client.tokenIntrospection(stack.rp.config, refreshed.refresh_token!)).active).toBe(false);
  expect((await client.tokenIntrospection(stack.rp.config, refreshed.access_token)).active).toBe(false);
});

test('another client cannot revoke a token: 200, and the token stays active', async () => {
  const { tokens } = await signIn(stack, stack.rp);
  await client.tokenRevocation(stack.encryptingRp.config, tokens.access_token);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.access_token)).active).toBe(true);
});

test('token, introspection and revocation accept only private_key_jwt', async () => {
  for (const path of ['/token', '/token/introspection', '/token/revocation']) {
    const secretPost = await postForm(path, { client_id: stack.rp.clientId, client_secret: 'x', token: 'x', grant_type: 'refresh_token', refresh_token: 'x' });
    expect(secretPost.status).toBe(401);
    expect(secretPost.body.error).toBe('invalid_client');
  }
});

test('a client assertion signed with HS256 or replayed (same jti) is refused with invalid_client', async () => {
  const token = `${stack.issuer}/token`;
  const hmac = await new SignJWT({ iss: stack.rp.clientId, sub: stack.rp.clientId, aud: token, jti: randomUUID() }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1m').sign(new Uint8Array(32));
  const hs = await postForm('/token/introspection', { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: hmac, token: 'x' });
  expect(hs).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  const assertion = await assertionFor(token);
  const first = await postForm('/token/introspection', { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, token: 'x' });
  expect(first.status).toBe(200);
  const replay = await postForm('/token/introspection', { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, token: 'x' });
  expect(replay).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
});

test('token errors are JSON with error and error_description', async () => {
  const bad = await postForm('/token', { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertionFor(`${stack.issuer}/token`), grant_type: 'authorization_code', code: 'nope', code_verifier: 'v'.repeat(43), redirect_uri: stack.rp.redirectUri });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) });
  expect(bad.headers.get('cache-control')).toContain('no-store');
  const unsupported = await postForm('/token', { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertionFor(`${stack.issuer}/token`), grant_type: 'password' });
  expect(unsupported.status).toBe(400);
  expect(unsupported.body.error).toBe('unsupported_grant_type');
});

test('a token request with a redirect_uri other than the authorization one is refused', async () => {
  const login = await loginAtProvider(stack, stack.rp);
  const code = new URL(login.callback.url).searchParams.get('code')!;
  const response = await postForm('/token', {
    client_id: stack.rp.clientId,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await assertionFor(`${stack.issuer}/token`),
    grant_type: 'authorization_code',
    code,
    code_verifier: login.pending.codeVerifier,
    redirect_uri: `${stack.rp.redirectUri}/other`,
  });
  expect(response.status).toBe(400);
  expect(response.body.error).toBe('invalid_grant');
});

test('a token request for a code without redirect_uri is refused (OIDC Core 3.1.3.1, DOCS-PR); with it the same code works', async () => {
  const login = await loginAtProvider(stack, stack.rp);
  const form = {
    client_id: stack.rp.clientId,
    client_assertion_type: ASSERTION_TYPE,
    grant_type: 'authorization_code',
    code: new URL(login.callback.url).searchParams.get('code')!,
    code_verifier: login.pending.codeVerifier,
  };
  const missing = await postForm('/token', { ...form, client_assertion: await assertionFor(`${stack.issuer}/token`) });
  expect(missing.status).toBe(400);
  expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('redirect_uri') });
  const complete = await postForm('/token', { ...form, client_assertion: await assertionFor(`${stack.issuer}/token`), redirect_uri: stack.rp.redirectUri });
  expect(complete.status).toBe(200);
});

test('a refresh request may carry redirect_uri (DOCS-PR); an unregistered one is refused', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const form = { client_id: stack.rp.clientId, client_assertion_type: ASSERTION_TYPE, grant_type: 'refresh_token' };
  const foreign = await postForm('/token', { ...form, client_assertion: await assertionFor(`${stack.issuer}/token`), refresh_token: tokens.refresh_token!, redirect_uri: 'https://evil.example/cb' });
  expect(foreign.status).toBe(400);
  expect(foreign.body.error).toBe('invalid_grant');
  const registered = await postForm('/token', { ...form, client_assertion: await assertionFor(`${stack.issuer}/token`), refresh_token: tokens.refresh_token!, redirect_uri: stack.rp.redirectUri });
  expect(registered.status).toBe(200);
  expect(registered.body.refresh_token).toEqual(expect.any(String));
});

test('userinfo without a valid access token answers 401 invalid_token', async () => {
  const response = await fetch(`${stack.issuer}/me`, { headers: { authorization: 'Bearer not-a-token' } });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: string }).error).toBe('invalid_token');
});
