import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { signIn } from './support/profile-login.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function providerKeys() {
  return createLocalJWKSet(await (await fetch(`${stack.issuer}/jwks`)).json());
}

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

/** The same JWT with one payload claim changed and the original signature kept. */
function tampered(jwt: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = jwt.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}

test('the access token is an RFC 9068 JWT signed RS256 by the provider: typ at+jwt, aud the userinfo endpoint, pairwise sub', async () => {
  const { tokens, idToken } = await signIn(stack, stack.rp);
  const metadata = stack.rp.config.serverMetadata();
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, await providerKeys(), {
    issuer: stack.issuer,
    audience: metadata.userinfo_endpoint,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
  expect(protectedHeader.kid).toEqual(expect.any(String));
  expect(payload).toMatchObject({ sub: idToken.sub, client_id: stack.rp.clientId, scope: 'openid profile email' });
  expect(payload.jti).toMatch(UUID4);
  expect(payload.exp! - payload.iat!).toBe(900);
  expect(tokens.expires_in).toBeLessThanOrEqual(900);
});

test('the refresh token is a JWT signed by the provider with iss, client_id, aud = token endpoint, iat, exp, uuid4 jti', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const { payload, protectedHeader } = await jwtVerify(tokens.refresh_token!, await providerKeys(), {
    issuer: stack.issuer,
    audience: stack.rp.config.serverMetadata().token_endpoint,
    algorithms: ['RS256'],
  });
  expect(protectedHeader.typ).toBe('JWT');
  expect(payload.client_id).toBe(stack.rp.clientId);
  expect(payload.jti).toMatch(UUID4);
  expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(30 * 86400);
  expect(payload.sub).toBeUndefined();
});

test('an altered or re-signed access token is not accepted anywhere, the genuine one is', async () => {
  const { tokens } = await signIn(stack, stack.rp);
  expect(await userinfoStatus(tokens.access_token)).toBe(200);
  const widened = tampered(tokens.access_token, { scope: 'openid profile email offline_access' });
  expect(await userinfoStatus(widened)).toBe(401);
  const [header, payload] = tokens.access_token.split('.');
  expect(await userinfoStatus(`${header}.${payload}.${'A'.repeat(342)}`)).toBe(401);
  expect(await userinfoStatus(decodeJwt(tokens.access_token).jti as string)).toBe(401);
  expect((await client.tokenIntrospection(stack.rp.config, widened)).active).toBe(false);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.access_token)).active).toBe(true);
  expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
});

test('a refresh token is not an access token and vice versa', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  expect(await userinfoStatus(tokens.refresh_token!)).toBe(401);
  await expect(client.refreshTokenGrant(stack.rp.config, tokens.access_token)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('each refresh invalidates the access tokens issued before it; the new ones work', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const first = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(await userinfoStatus(tokens.access_token)).toBe(401);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.access_token)).active).toBe(false);
  expect(await userinfoStatus(first.access_token)).toBe(200);
  const second = await client.refreshTokenGrant(stack.rp.config, first.refresh_token!);
  expect(await userinfoStatus(first.access_token)).toBe(401);
  expect(await userinfoStatus(second.access_token)).toBe(200);
  expect((await client.tokenIntrospection(stack.rp.config, second.refresh_token!)).active).toBe(true);
});

test('two concurrent refreshes with one refresh token: one wins, the other revokes the grant, so nothing of it works', async () => {
  const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const outcomes = await Promise.allSettled([
    client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!),
    client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!),
  ]);
  const won = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<typeof client.refreshTokenGrant>>> => o.status === 'fulfilled');
  const lost = outcomes.filter((o) => o.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
  const winner = won[0]!.value;
  expect(await userinfoStatus(winner.access_token)).toBe(401);
  await expect(client.refreshTokenGrant(stack.rp.config, winner.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('a configured access-token lifetime is what the JWT and expires_in carry', async () => {
  const short = await startProfileStack({ lifetimes: { accessToken: 120 } });
  try {
    const { tokens } = await signIn(short, short.rp);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(tokens.expires_in).toBeLessThanOrEqual(120);
  } finally {
    await short.close();
  }
});

describe('with TOKEN_SIGNING_ALG=ES256', () => {
  let es256: ProfileStack;
  beforeAll(async () => {
    es256 = await startProfileStack({ tokenSigningAlg: 'ES256' });
  });
  afterAll(async () => es256?.close());

  test('access and refresh tokens are signed ES256 with the provider\'s P-256 key, and work at userinfo, refresh and introspection', async () => {
    const { tokens } = await signIn(es256, es256.rp, { scope: 'openid profile offline_access', offline: true });
    const jwks = await (await fetch(`${es256.issuer}/jwks`)).json() as { keys: { kid: string; crv?: string }[] };
    const keys = createLocalJWKSet(jwks);
    const p256 = jwks.keys.find((key) => key.crv === 'P-256')!.kid;
    const access = await jwtVerify(tokens.access_token, keys, { issuer: es256.issuer, typ: 'at+jwt', algorithms: ['ES256'] });
    const refresh = await jwtVerify(tokens.refresh_token!, keys, { issuer: es256.issuer, algorithms: ['ES256'] });
    expect([access.protectedHeader.kid, refresh.protectedHeader.kid]).toEqual([p256, p256]);
    expect((await fetch(`${es256.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    expect((await client.tokenIntrospection(es256.rp.config, tokens.access_token)).active).toBe(true);
    const refreshed = await client.refreshTokenGrant(es256.rp.config, tokens.refresh_token!);
    expect(decodeProtectedHeader(refreshed.access_token).alg).toBe('ES256');
  });

  test('an RS256 token of the default provider is not accepted by it', async () => {
    const { tokens } = await signIn(stack, stack.rp);
    expect((await fetch(`${es256.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });
});
