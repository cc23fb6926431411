import * as client from 'openid-client';
import type { ClientMetadata } from 'oidc-provider';
import type { RelyingPartyKeys } from './rp-keys.js';
import { DEMO_LEVELS } from './rp-levels.js';

export const CIE_L3 = DEMO_LEVELS['3'];

/** What the demo RP registers at the provider: a CIE RP with private_key_jwt and signed+encrypted userinfo. */
export function relyingPartyMetadata(rpOrigin: string, name: string, keys: RelyingPartyKeys): ClientMetadata {
  return {
    client_id: rpOrigin,
    client_name: name,
    redirect_uris: [`${rpOrigin}/callback`],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
    userinfo_encrypted_response_alg: 'RSA-OAEP',
    userinfo_encrypted_response_enc: 'A256CBC-HS512',
    subject_type: 'pairwise',
    jwks: keys.publicJwks as ClientMetadata['jwks'],
  };
}

/** openid-client configured as the CIE profile wants: discovery, private_key_jwt, decryption of userinfo. */
export async function discoverProvider(issuer: string, metadata: ClientMetadata, keys: RelyingPartyKeys): Promise<client.Configuration> {
  const insecure = new URL(issuer).protocol === 'http:';
  const config = await client.discovery(
    new URL(issuer),
    metadata.client_id,
    metadata as Partial<client.ClientMetadata>,
    client.PrivateKeyJwt({ key: keys.signing.key, kid: keys.signing.kid }),
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  client.enableDecryptingResponses(config, ['A256CBC-HS512', 'A128CBC-HS256'], { key: keys.encryption.key, kid: keys.encryption.kid });
  return config;
}

export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * A signed request object carrying the whole request; scope, PKCE and response_type are repeated
 * outside it because the CIE profile requires them as plain parameters too. `acrValues`: level 3
 * (the card) unless the caller asks for another level (the demo RP's `?level=`).
 */
export async function authorizationUrl(config: client.Configuration, redirectUri: string, keys: RelyingPartyKeys, scope: string, acrValues: string = CIE_L3): Promise<{ url: URL; pending: PendingLogin }> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
  const outside = { scope, code_challenge: codeChallenge, code_challenge_method: 'S256', response_type: 'code' };
  const url = await client.buildAuthorizationUrlWithJAR(config, {
    ...outside,
    redirect_uri: redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    // `login` at every level: each login authenticates afresh. A level-1 request with `consent` alone
    // could reuse a provider session (docs/levels.md, rule 5); a tester trying a level wants to see it happen.
    prompt: 'consent login',
    acr_values: acrValues,
  }, { key: keys.signing.key, kid: keys.signing.kid });
  for (const [name, value] of Object.entries(outside)) url.searchParams.set(name, value);
  return { url, pending };
}

export async function completeLogin(config: client.Configuration, callbackUrl: URL, pending: PendingLogin) {
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idToken = tokens.claims()!;
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
  return { idToken, userinfo, tokens };
}
