import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { FEDERATION_JWKS_FILE } from '../../../src/federation/op/federation-keys.js';
import { createFederationOp } from '../../../src/federation/op/federation-op.js';
import { MEDIA_TYPES } from '../../../src/federation/media-types.js';
import { TA } from '../../support/federation/standard-federation.js';
import { tamperSignature } from '../../support/federation/test-federation.js';
import { OP_TRUST_MARK, startOpStack, type OpStack } from './support/op-stack.js';

async function fetchEc(stack: OpStack, path = '/.well-known/openid-federation') {
  const response = await fetch(new URL(path, new URL(stack.issuer).origin));
  return { status: response.status, contentType: response.headers.get('content-type'), jwt: await response.text() };
}

/** Verifies a JWS with the key of `jwks` its kid names; throws when none fits. */
async function verifyWith(jwt: string, jwks: { keys: JWK[] }) {
  const { kid, alg } = decodeProtectedHeader(jwt);
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`kid ${String(kid)} not in this set`);
  return compactVerify(jwt, await importJWK(jwk, alg));
}

describe('entity configuration of a provider joined to a trust anchor', () => {
  let stack: OpStack;
  let jwt: string;
  beforeAll(async () => {
    stack = await startOpStack();
    const answer = await fetchEc(stack);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(MEDIA_TYPES.entityStatement);
    jwt = answer.jwt;
  });
  afterAll(async () => stack?.close());

  test('header: typ entity-statement+jwt, kid and alg of the FEDERATION key; it verifies with the federation keys, not the OIDC ones', async () => {
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'entity-statement+jwt', alg: 'RS256', kid: stack.federationKeys.signing.kid });
    const fileKeys = JSON.parse(await readFile(join(stack.config.keysDir, FEDERATION_JWKS_FILE), 'utf8')) as { keys: JWK[] };
    await expect(verifyWith(jwt, stack.federationKeys.publicJwks)).resolves.toBeDefined();
    expect(fileKeys.keys[0]!.kid).toBe(stack.federationKeys.signing.kid);
    const oidcKeys = JSON.parse(await readFile(join(stack.config.keysDir, 'jwks.json'), 'utf8')) as { keys: JWK[] };
    await expect(verifyWith(jwt, oidcKeys)).rejects.toThrow(/not in this set/);
  });

  test('claims: iss = sub = issuer, iat/exp with FEDERATION_STATEMENT_LIFETIME, jwks = the public federation keys only', () => {
    const claims = decodeJwt(jwt);
    expect(claims.iss).toBe(stack.issuer);
    expect(claims.sub).toBe(stack.issuer);
    expect(claims.exp! - claims.iat!).toBe(stack.config.federation.statementLifetimeSeconds);
    expect(claims.jwks).toEqual(JSON.parse(JSON.stringify(stack.federationKeys.publicJwks)));
    expect(JSON.stringify(claims.jwks)).not.toMatch(/"d"|"p"|"q"/);
  });

  test('metadata.openid_provider is the discovery document (profile fields, inline OIDC jwks) plus organisation name and logo', async () => {
    const discovery = (await (await fetch(`${stack.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const { openid_provider: op } = decodeJwt(jwt).metadata as Record<string, Record<string, unknown>>;
    const { organization_name: name, logo_uri: logo, ...rest } = op!;
    expect(rest).toEqual(discovery);
    expect(name).toBe(stack.config.federation.entity.organizationName);
    expect(logo).toBe(stack.config.federation.entity.logoUri);
    expect(op!.client_registration_types_supported).toEqual(['automatic']);
    expect((op!.jwks as { keys: JWK[] }).keys.map((key) => key.kid)).not.toContain(stack.federationKeys.signing.kid);
    expect(op!.request_authentication_methods_supported).toEqual({ authorization_endpoint: ['request_object'] });
  });

  test('metadata.federation_entity: organisation, home page, policy, SVG logo, contacts, resolve endpoint', () => {
    const { federation_entity: entity } = decodeJwt(jwt).metadata as Record<string, Record<string, unknown>>;
    const settings = stack.config.federation.entity;
    expect(entity).toEqual({
      organization_name: settings.organizationName,
      homepage_uri: settings.homepageUri,
      policy_uri: settings.policyUri,
      logo_uri: settings.logoUri,
      contacts: settings.contacts,
      federation_resolve_endpoint: `${stack.issuer}/resolve`,
    });
    expect(settings.logoUri).toMatch(/\.svg$/);
  });

  test('authority_hints = the trust anchor; trust_marks = the one its statement about the provider carries, under every name', async () => {
    const claims = decodeJwt(jwt);
    expect(claims.authority_hints).toEqual([TA]);
    const marks = claims.trust_marks as Record<string, string>[];
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ trust_mark_type: OP_TRUST_MARK, trust_mark_id: OP_TRUST_MARK, id: OP_TRUST_MARK });
    expect(decodeJwt(marks[0]!.trust_mark!)).toMatchObject({ iss: TA, sub: stack.issuer });
    await expect(verifyWith(marks[0]!.trust_mark!, stack.federation.jwksOf(TA))).resolves.toBeDefined();
  });

  test('the trailing-slash path serves the same statement; it is signed once, not per request', async () => {
    const again = await fetchEc(stack, '/.well-known/openid-federation/');
    expect(again).toMatchObject({ status: 200, contentType: MEDIA_TYPES.entityStatement, jwt });
    expect((await fetchEc(stack)).jwt).toBe(jwt);
  });
});

test('an issuer with a path: served also under the path, and at the Node RP\'s concatenation without a slash', async () => {
  const stack = await startOpStack({ issuerPath: '/oidc/op' });
  try {
    const plain = await fetchEc(stack);
    expect(plain.status).toBe(200);
    for (const path of ['/oidc/op/.well-known/openid-federation', '/oidc/op.well-known/openid-federation', '/oidc/op/.well-known/openid-federation/']) {
      expect(await fetchEc(stack, path)).toEqual(plain);
    }
    expect(decodeJwt(plain.jwt)).toMatchObject({ iss: stack.issuer, sub: stack.issuer });
    expect((decodeJwt(plain.jwt).metadata as Record<string, Record<string, unknown>>).federation_entity!.federation_resolve_endpoint).toBe(`${stack.issuer}/resolve`);
  } finally {
    await stack.close();
  }
});

test('a trust mark in the superior\'s statement that does not verify is not published', async () => {
  const stack = await startOpStack();
  try {
    const good = await stack.federation.trustMark(TA, stack.issuer, OP_TRUST_MARK);
    stack.federation.subordinates.get(`${TA} ${stack.issuer}`)!.extraClaims = { trust_marks: [{ ...good, trust_mark: tamperSignature(good.trust_mark) }] };
    expect(decodeJwt((await fetchEc(stack)).jwt).trust_marks).toBeUndefined();
  } finally {
    await stack.close();
  }
});

test('FEDERATION_TRUST_MARKS replaces the superiors\' trust marks (nothing is fetched for them); a file about another entity stops the start', async () => {
  const privateMark = `${TA}/openid_provider/private/`;
  const stack = await startOpStack({ trustMarksFile: [privateMark] });
  try {
    const marks = decodeJwt((await fetchEc(stack)).jwt).trust_marks as Record<string, string>[];
    expect(marks.map((mark) => mark.trust_mark_type)).toEqual([privateMark]);
    expect(stack.federation.urls().filter((url) => url.includes('/fetch?'))).toEqual([]);
    const elsewhere = { ...stack.config, issuer: 'https://other-op.example' };
    await expect(createFederationOp({ ...elsewhere, federation: { ...stack.config.federation, trustMarksFile: join(stack.dir, 'own-trust-marks.json') } })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('not https://other-op.example') });
  } finally {
    await stack.close();
  }
});

test('without any federation setting the entity configuration is still served: no authority_hints, no trust marks; discovery claims no automatic registration', async () => {
  const stack = await startOpStack({ noFederation: true });
  try {
    const claims = decodeJwt((await fetchEc(stack)).jwt);
    expect(claims.authority_hints).toBeUndefined();
    expect(claims.trust_marks).toBeUndefined();
    const discovery = (await (await fetch(`${stack.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.client_registration_types_supported).toBeUndefined();
    expect((claims.metadata as Record<string, Record<string, unknown>>).openid_provider!.client_registration_types_supported).toBeUndefined();
  } finally {
    await stack.close();
  }
});
