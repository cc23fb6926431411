import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import * as client from 'openid-client';
import { ACR } from '../../../../src/oidc/acr.js';
import type { KeyedRp } from './op-stack.js';

const random = () => randomBytes(32).toString('base64url');

/** A CIE authorization request of `rp`, request object signed with its key; `claims` change or (undefined) drop claims. */
export async function federatedAuthorizationUrl(issuer: string, rp: KeyedRp, claims: Record<string, unknown> = {}): Promise<URL> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: rp.clientId,
    client_id: rp.clientId,
    aud: issuer,
    iat: now,
    exp: now + 60,
    jti: random(),
    response_type: 'code',
    redirect_uri: rp.redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    nonce: random(),
    state: random(),
    prompt: 'consent login',
    acr_values: ACR.L3,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const request = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: rp.keys.signing.kid }).sign(rp.keys.signing.key);
  const url = new URL(`${issuer}/auth`);
  for (const [name, value] of Object.entries({ client_id: rp.clientId, response_type: 'code', scope: String(payload.scope), code_challenge: String(payload.code_challenge), code_challenge_method: 'S256', request })) url.searchParams.set(name, value);
  return url;
}

/** The answer of the authorization endpoint, redirects not followed. */
export async function authorize(url: URL): Promise<{ status: number; location: string | null; body: string; cookies: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  return { status: response.status, location: response.headers.get('location'), body: await response.text(), cookies };
}
