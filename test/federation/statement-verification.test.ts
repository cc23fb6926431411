import { signFederationJwt } from '../../src/federation/entity-statement.js';
import { JOSE_TYPES } from '../../src/federation/media-types.js';
import { decodeUnverified, verifyFederationJwt } from '../../src/federation/statement-verification.js';
import { tamperClaims, tamperSignature, testKey, type TestKey } from '../support/federation/test-federation.js';

const now = 1_800_000_000;
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'verified', (error: { code?: string }) => error.code ?? String(error));
let key: TestKey;
const jwksOf = (...keys: TestKey[]) => ({ keys: keys.map((k) => k.publicJwk) });
const options = { typ: JOSE_TYPES.entityStatement, now, clockTolerance: 30 };
const sign = (claims: Record<string, unknown>, typ: string = JOSE_TYPES.entityStatement, signer: TestKey = key) =>
  signFederationJwt({ iss: 'https://a.example', sub: 'https://a.example', iat: now, exp: now + 600, ...claims }, signer.signing, typ as typeof JOSE_TYPES.entityStatement);

beforeAll(async () => {
  key = await testKey('k1');
});

describe('federation JWT verification', () => {
  test('a good statement verifies and its claims are returned', async () => {
    await expect(verifyFederationJwt(await sign({ extra: 1 }), jwksOf(key), options)).resolves.toMatchObject({ iss: 'https://a.example', extra: 1 });
  });

  test('tampered signature → statement_bad_signature', async () => {
    expect(await codeOf(verifyFederationJwt(tamperSignature(await sign({})), jwksOf(key), options))).toBe('statement_bad_signature');
  });

  test('tampered claims → statement_bad_signature', async () => {
    expect(await codeOf(verifyFederationJwt(tamperClaims(await sign({}), { sub: 'https://b.example' }), jwksOf(key), options))).toBe('statement_bad_signature');
  });

  test('expired → statement_expired; within the clock tolerance it still verifies', async () => {
    expect(await codeOf(verifyFederationJwt(await sign({ iat: now - 600, exp: now - 31 }), jwksOf(key), options))).toBe('statement_expired');
    expect(await codeOf(verifyFederationJwt(await sign({ iat: now - 600, exp: now - 10 }), jwksOf(key), options))).toBe('verified');
  });

  test('iat in the future beyond the tolerance → statement_not_yet_valid', async () => {
    expect(await codeOf(verifyFederationJwt(await sign({ iat: now + 120 }), jwksOf(key), options))).toBe('statement_not_yet_valid');
    expect(await codeOf(verifyFederationJwt(await sign({ iat: now + 10 }), jwksOf(key), options))).toBe('verified');
  });

  test('missing exp on a statement → statement_malformed; a trust mark may omit it', async () => {
    expect(await codeOf(verifyFederationJwt(await sign({ exp: undefined }), jwksOf(key), options))).toBe('statement_malformed');
    expect(await codeOf(verifyFederationJwt(await sign({ exp: undefined }, JOSE_TYPES.trustMark), jwksOf(key), { ...options, typ: JOSE_TYPES.trustMark, requireExp: false }))).toBe('verified');
  });

  test('unknown kid → statement_unknown_kid', async () => {
    const other = await testKey('k2');
    expect(await codeOf(verifyFederationJwt(await sign({}, JOSE_TYPES.entityStatement, other), jwksOf(key), options))).toBe('statement_unknown_kid');
  });

  test('a key with the same kid but another value → statement_bad_signature', async () => {
    const impostor = await testKey('k1');
    expect(await codeOf(verifyFederationJwt(await sign({}, JOSE_TYPES.entityStatement, impostor), jwksOf(key), options))).toBe('statement_bad_signature');
  });

  test('wrong typ → statement_wrong_typ (JWT, or another federation type)', async () => {
    expect(await codeOf(verifyFederationJwt(await sign({}, 'JWT'), jwksOf(key), options))).toBe('statement_wrong_typ');
    expect(await codeOf(verifyFederationJwt(await sign({}, JOSE_TYPES.trustMark), jwksOf(key), options))).toBe('statement_wrong_typ');
  });

  test('missing kid → statement_missing_kid', async () => {
    const jwt = await sign({});
    const [, payload, signature] = jwt.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: JOSE_TYPES.entityStatement })).toString('base64url');
    expect(await codeOf(verifyFederationJwt(`${header}.${payload}.${signature}`, jwksOf(key), options))).toBe('statement_missing_kid');
  });

  test('an alg that does not fit the key (RS256 header on an EC key, alg none) → statement_bad_signature', async () => {
    const jwt = await sign({});
    const [, payload, signature] = jwt.split('.');
    for (const alg of ['RS256', 'none', 'HS256']) {
      const header = Buffer.from(JSON.stringify({ alg, kid: 'k1', typ: JOSE_TYPES.entityStatement })).toString('base64url');
      expect(await codeOf(verifyFederationJwt(`${header}.${payload}.${signature}`, jwksOf(key), options))).toBe('statement_bad_signature');
    }
  });

  test('an RSA federation key (RS256) verifies', async () => {
    const rsa = await testKey('rsa-1', 'RS256');
    expect(await codeOf(verifyFederationJwt(await sign({}, JOSE_TYPES.entityStatement, rsa), jwksOf(rsa), options))).toBe('verified');
  });

  test('not a JWS → statement_malformed', async () => {
    expect(() => decodeUnverified('abc')).toThrow(expect.objectContaining({ code: 'statement_malformed' }));
    expect(await codeOf(verifyFederationJwt('a.b.c', jwksOf(key), options))).toBe('statement_malformed');
  });
});
