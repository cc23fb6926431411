import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { ACR } from '../../../src/oidc/acr.js';
import type { ProfileStack, TestRp } from './profile-stack.js';

const random = () => randomBytes(32).toString('base64url');

/** A hand-made authorization request, so each profile rule can be broken on its own. */
export async function authorizationRequest(
  stack: ProfileStack,
  rp: TestRp,
  claims: Record<string, unknown> = {},
  outer: Record<string, string | undefined> = {},
  sign: (payload: Record<string, unknown>) => Promise<string> = (payload) => signedBy(rp, payload),
): Promise<URL> {
  const verifier = client.randomPKCECodeVerifier();
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: rp.clientId,
    client_id: rp.clientId,
    aud: stack.issuer,
    iat: now,
    exp: now + 60,
    jti: random(),
    response_type: 'code',
    redirect_uri: rp.redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce: random(),
    state: random(),
    prompt: 'consent login',
    acr_values: ACR.L3,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const params: Record<string, string | undefined> = {
    client_id: rp.clientId,
    response_type: 'code',
    scope: String(payload.scope),
    code_challenge: String(payload.code_challenge),
    code_challenge_method: String(payload.code_challenge_method),
    request: await sign(payload),
    ...outer,
  };
  const url = new URL('/auth', stack.issuer);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

export async function signedBy(rp: TestRp, payload: Record<string, unknown>, alg = 'RS256'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, kid: rp.keys.signing.kid }).sign(rp.keys.signing.key);
}

export interface AuthorizationOutcome {
  status: number;
  /** Where the browser is sent (an interaction, or the RP with an error); undefined = error page. */
  location?: URL;
  error?: string;
  /** The parameters of a redirect back to the RP (query, or fragment for response_mode fragment). */
  response?: URLSearchParams;
}

/** What the authorization endpoint answers, without following redirects. */
export async function authorize(url: URL, init: RequestInit = {}): Promise<AuthorizationOutcome> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const body = await response.text();
  const locationHeader = response.headers.get('location');
  const location = locationHeader ? new URL(locationHeader, url) : undefined;
  const returned = location && (location.hash ? new URLSearchParams(location.hash.slice(1)) : location.searchParams);
  const error = returned?.get('error') ?? /data-error="([^"]+)"/.exec(body)?.[1];
  return { status: response.status, ...(location ? { location } : {}), ...(error ? { error } : {}), ...(returned?.has('error') ? { response: returned } : {}) };
}
