import { compactDecrypt, decodeProtectedHeader, decodeJwt, jwtVerify, createLocalJWKSet } from 'jose';
import { createHash } from 'node:crypto';
import { ACR, CARD_LOGIN } from '../../src/oidc/acr.js';
import { signIn } from './support/profile-login.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

async function providerKeys() {
  const response = await fetch(`${stack.issuer}/jwks`);
  return createLocalJWKSet(await response.json());
}

function leftHalfHash(digest: string, value: string): string {
  const hash = createHash(digest).update(value).digest();
  return hash.subarray(0, hash.length / 2).toString('base64url');
}

test('the ID token carries acr SpidL3, amr, nbf = iat, a uuid4 jti, at_hash and the nonce', async () => {
  const { tokens, pending } = await signIn(stack, stack.rp);
  const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, await providerKeys(), { issuer: stack.issuer, audience: stack.rp.clientId });
  expect(protectedHeader.alg).toBe('RS256');
  expect(protectedHeader.kid).toEqual(expect.any(String));
  expect(payload.acr).toBe(ACR.L3);
  expect(payload.amr).toEqual([...CARD_LOGIN.amr]);
  expect(payload.nbf).toBe(payload.iat);
  expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(payload.at_hash).toBe(leftHalfHash('sha256', tokens.access_token));
  expect(payload.nonce).toBe(pending.nonce);
  // Scope claims go into the ID token too (CIE).
  expect(payload.given_name).toBe(CITIZEN.claims.given_name);
});

test('every ID token gets a fresh jti', async () => {
  const first = decodeJwt((await signIn(stack, stack.rp)).tokens.id_token!);
  const second = decodeJwt((await signIn(stack, stack.rp)).tokens.id_token!);
  expect(first.jti).not.toBe(second.jti);
});

test('an RP that registered id_token_encrypted_response_alg gets a nested JWT (cty JWT), at_hash by the signing alg', async () => {
  const { tokens, idToken } = await signIn(stack, stack.encryptingRp);
  const outer = decodeProtectedHeader(tokens.id_token!);
  expect(outer).toMatchObject({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', cty: 'JWT', kid: stack.encryptingRp.keys.encryption.kid });
  const { plaintext } = await compactDecrypt(tokens.id_token!, stack.encryptingRp.keys.encryption.key);
  const { payload, protectedHeader } = await jwtVerify(new TextDecoder().decode(plaintext), await providerKeys(), { issuer: stack.issuer, audience: stack.encryptingRp.clientId });
  expect(protectedHeader.alg).toBe('RS512');
  expect(payload.at_hash).toBe(leftHalfHash('sha512', tokens.access_token));
  expect(payload.acr).toBe(ACR.L3);
  expect(idToken.sub).toBe(payload.sub);
});
