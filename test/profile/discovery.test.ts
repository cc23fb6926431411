import { signingAlgs, keyEncryptionAlgs, contentEncryptionAlgs } from '../../src/oidc/algorithms.js';
import { acrValuesSupported } from '../../src/oidc/acr.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
let metadata: Record<string, unknown>;
beforeAll(async () => {
  stack = await startProfileStack();
  metadata = await (await fetch(`${stack.issuer}/.well-known/openid-configuration`)).json();
});
afterAll(async () => stack?.close());

const profileSigning = ['RS256', 'RS512', 'ES256', 'ES512', 'PS256', 'PS512'];

test('the metadata carries the fields and values of SPID/CIE OIDC guidelines: provider metadata — docs/references.md', () => {
  expect(metadata).toMatchObject({
    issuer: stack.issuer,
    authorization_endpoint: `${stack.issuer}/auth`,
    token_endpoint: `${stack.issuer}/token`,
    userinfo_endpoint: `${stack.issuer}/me`,
    introspection_endpoint: `${stack.issuer}/token/introspection`,
    revocation_endpoint: `${stack.issuer}/token/revocation`,
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    response_modes_supported: ['form_post', 'query'],
    subject_types_supported: ['pairwise'],
    acr_values_supported: acrValuesSupported,
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    request_authentication_methods_supported: { authorization_endpoint: ['request_object'] },
  });
  // No trust anchor configured here: no automatic registration to advertise (test/federation/op: when there is).
  expect(metadata.client_registration_types_supported).toBeUndefined();
  expect([...(metadata.grant_types_supported as string[])].sort()).toEqual(['authorization_code', 'refresh_token']);
  expect([...(metadata.scopes_supported as string[])].sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
  expect(metadata.claims_supported).toContain('https://attributes.eid.gov.it/fiscal_number');
  expect((metadata.jwks as { keys: Array<Record<string, unknown>> }).keys.every((k) => typeof k.kid === 'string' && k.d === undefined)).toBe(true);
});

test('algorithm lists are exactly the TA policy lists; none, HS* and RSA1_5 never appear', () => {
  for (const name of ['id_token_signing_alg_values_supported', 'userinfo_signing_alg_values_supported', 'request_object_signing_alg_values_supported', 'token_endpoint_auth_signing_alg_values_supported', 'request_authentication_signing_alg_values_supported']) {
    expect([...(metadata[name] as string[])].sort()).toEqual([...profileSigning].sort());
  }
  for (const name of ['id_token_encryption_alg_values_supported', 'userinfo_encryption_alg_values_supported']) {
    expect([...(metadata[name] as string[])].sort()).toEqual([...keyEncryptionAlgs].sort());
  }
  for (const name of ['id_token_encryption_enc_values_supported', 'userinfo_encryption_enc_values_supported']) {
    expect([...(metadata[name] as string[])].sort()).toEqual([...contentEncryptionAlgs].sort());
  }
  const everyAlg = JSON.stringify(metadata);
  for (const forbidden of ['"none"', '"HS256"', '"HS384"', '"HS512"', '"RSA1_5"']) expect(everyAlg).not.toContain(forbidden);
  expect(signingAlgs).toEqual(profileSigning);
});

test('no encryption enc list is advertised without its alg list (request objects are never encrypted here)', () => {
  expect(metadata.request_object_encryption_alg_values_supported).toBeUndefined();
  expect(metadata.request_object_encryption_enc_values_supported).toBeUndefined();
  for (const name of Object.keys(metadata).filter((n) => n.endsWith('_encryption_enc_values_supported'))) {
    expect((metadata[name.replace('_enc_', '_alg_')] as string[]).length).toBeGreaterThan(0);
  }
});

test('the provider can really sign with every advertised signing algorithm (keys for RS*, PS*, ES256, ES512)', async () => {
  const jwks = (await (await fetch(`${stack.issuer}/jwks`)).json()) as { keys: Array<Record<string, string>> };
  expect(jwks.keys.some((k) => k.kty === 'RSA' && k.alg === undefined)).toBe(true);
  expect(jwks.keys.some((k) => k.crv === 'P-256')).toBe(true);
  expect(jwks.keys.some((k) => k.crv === 'P-521')).toBe(true);
});
