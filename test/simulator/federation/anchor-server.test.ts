import { boundedFetcher } from '../../../src/federation/bounded-fetch.js';
import { decodeUnverified, verifyFederationJwt } from '../../../src/federation/statement-verification.js';
import { TrustChainResolver } from '../../../src/federation/trust-chain-resolver.js';
import type { EntityStatementClaims, FederationJwks } from '../../../src/federation/entity-statement.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../../../src/federation/media-types.js';
import { addIntermediate, enrollEntity, revokeTrustMarks, rotateAnchorKeys, trustMarkTypeFor, readAnchorState } from '../../../src/simulator/federation/index.js';
import { readAnchorKeys } from '../../../src/simulator/federation/anchor-files.js';
import { RP_POLICY } from '../../../src/simulator/federation/rp-policy.js';
import { newFederationKey, publicJwk } from '../../../src/simulator/federation/federation-keys.js';
import { startTestAnchor, startTestRelyingParty, type TestAnchor, type TestEntity } from './anchor-fixture.js';

let anchor: TestAnchor;
let rp: TestEntity;
let base: string;
const OP = 'https://op.example.it/';
let opJwks: FederationJwks;
const clock = () => ({ now: Math.floor(Date.now() / 1000), clockTolerance: 5 });

beforeAll(async () => {
  anchor = await startTestAnchor();
  base = anchor.entityId.replace(/\/$/, '');
  rp = await startTestRelyingParty({ entityId: anchor.entityId, fetchEndpoint: `${base}/fetch` });
  opJwks = { keys: [publicJwk((await newFederationKey()).jwk)] };
  await enrollEntity(anchor.dir, { entityId: rp.entityId, entityType: 'openid_relying_party', jwks: rp.jwks, protocolJwks: rp.protocolJwks as never, organizationName: 'Servizio di prova' });
  await enrollEntity(anchor.dir, { entityId: OP, entityType: 'openid_provider', jwks: opJwks });
});
afterAll(async () => {
  await rp?.close();
  await anchor?.dispose();
});

const anchorJwks = (): FederationJwks => ({ keys: readAnchorKeys(anchor.dir)[anchor.entityId]!.filter((key) => !key.retiredAt).map((key) => publicJwk(key.jwk)) });

async function get(path: string): Promise<Response> {
  return fetch(`${base}${path}`);
}

async function statement(path: string, typ: (typeof JOSE_TYPES)[keyof typeof JOSE_TYPES] = JOSE_TYPES.entityStatement): Promise<EntityStatementClaims> {
  const response = await get(path);
  expect(response.status).toBe(200);
  return verifyFederationJwt<EntityStatementClaims>(await response.text(), anchorJwks(), { typ, ...clock() });
}

async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  expect(response.headers.get('content-type')).toBe('application/json');
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error_description).toEqual(expect.any(String));
  return { status: response.status, error: body.error };
}

describe('entity configuration', () => {
  it('is an entity-statement+jwt signed by the anchor with its endpoints, trust mark issuers and max_path_length 1', async () => {
    const response = await get('/.well-known/openid-federation');
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.entityStatement);
    const jwt = await response.text();
    expect(decodeUnverified(jwt).header).toMatchObject({ typ: 'entity-statement+jwt', kid: expect.any(String), alg: 'RS256' });
    const claims = await verifyFederationJwt<EntityStatementClaims>(jwt, anchorJwks(), { typ: JOSE_TYPES.entityStatement, ...clock() });
    expect(claims).toMatchObject({ iss: anchor.entityId, sub: anchor.entityId, constraints: { max_path_length: 1 } });
    expect(claims.exp).toBeGreaterThan(claims.iat);
    expect(claims.metadata!.federation_entity).toMatchObject({
      organization_name: expect.any(String),
      homepage_uri: anchor.entityId,
      federation_fetch_endpoint: `${base}/fetch`,
      federation_list_endpoint: `${base}/list`,
      federation_resolve_endpoint: `${base}/resolve`,
      federation_trust_mark_status_endpoint: `${base}/trust_mark_status`,
    });
    expect(claims.trust_mark_issuers![trustMarkTypeFor(readAnchorState(anchor.dir), 'openid_relying_party')]).toEqual([anchor.entityId]);
    // Final mode: none of the pre-final names.
    expect(claims).not.toHaveProperty('trust_marks_issuers');
    expect(claims.metadata!.federation_entity).not.toHaveProperty('federation_status_endpoint');
  });
});

describe('fetch', () => {
  it('gives the subordinate statement about an enrolled RP: its keys, the profile\'s RP policy with its OIDC keys pinned, its trust mark', async () => {
    const claims = await statement(`/fetch?sub=${encodeURIComponent(rp.entityId)}`);
    expect(claims).toMatchObject({ iss: anchor.entityId, sub: rp.entityId, jwks: rp.jwks });
    const policy = claims.metadata_policy!.openid_relying_party!;
    expect(policy.jwks).toEqual({ value: rp.protocolJwks, essential: true });
    expect(policy.response_types).toEqual({ value: ['code'] });
    expect(policy.token_endpoint_auth_method).toEqual(RP_POLICY.openid_relying_party!.token_endpoint_auth_method);
    expect(policy.client_registration_types).toEqual({ subset_of: ['automatic'], essential: true });
    expect(policy.userinfo_encrypted_response_alg).toMatchObject({ essential: true });
    expect(policy.id_token_encrypted_response_alg).toMatchObject({ essential: false });
    const [entry] = claims.trust_marks!;
    expect(Object.keys(entry!).sort()).toEqual(['trust_mark', 'trust_mark_type']);
    const mark = await verifyFederationJwt<Record<string, unknown>>(entry!.trust_mark, anchorJwks(), { typ: JOSE_TYPES.trustMark, ...clock() });
    expect(mark).toMatchObject({
      iss: anchor.entityId,
      sub: rp.entityId,
      trust_mark_type: `${base}/openid_relying_party/public/`,
      id: `${base}/openid_relying_party/public/`,
      organization_name: 'Servizio di prova',
      organization_type: 'public',
      id_code: { ipa_code: expect.any(String) },
      email: expect.any(String),
      ref: expect.any(String),
      logo_uri: expect.any(String),
    });
  });

  it('gives the OP its statement with its provider trust mark and no RP policy', async () => {
    const claims = await statement(`/fetch?sub=${encodeURIComponent(OP)}`);
    expect(claims.jwks).toEqual(opJwks);
    expect(claims).not.toHaveProperty('metadata_policy');
    expect(claims.trust_marks![0]!.trust_mark_type).toBe(`${base}/openid_provider/public/`);
  });

  it('answers an unknown sub with 404 not_found, a missing sub or the anchor itself with 400 invalid_request', async () => {
    expect(await errorOf(await get('/fetch?sub=https%3A%2F%2Fnobody.example%2F'))).toEqual({ status: 404, error: 'not_found' });
    expect(await errorOf(await get('/fetch'))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await get(`/fetch?sub=${encodeURIComponent(anchor.entityId)}`))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await get(`/fetch?sub=a&sub=b`))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await get(`/fetch?sub=${'x'.repeat(9000)}`))).toEqual({ status: 400, error: 'invalid_request' });
  });
});

describe('list', () => {
  it('lists the subordinates, filtered by entity_type (or the older type), intermediate and trust_marked', async () => {
    const list = async (query: string) => {
      const response = await get(`/list${query}`);
      expect(response.headers.get('content-type')).toBe('application/json');
      return ((await response.json()) as string[]).sort();
    };
    expect(await list('')).toEqual([rp.entityId, OP].sort());
    expect(await list('?entity_type=openid_relying_party')).toEqual([rp.entityId]);
    expect(await list('?type=openid_provider')).toEqual([OP]);
    expect(await list('?intermediate=true')).toEqual([]);
    expect(await list(`?trust_mark_type=${encodeURIComponent(`${base}/openid_provider/public/`)}`)).toEqual([OP]);
    expect(await list('?trust_marked=true')).toEqual([rp.entityId, OP].sort());
    expect(await errorOf(await get('/list?intermediate=maybe'))).toEqual({ status: 400, error: 'invalid_request' });
  });
});

describe('trust mark status', () => {
  const post = (form: Record<string, string>) =>
    fetch(`${base}/trust_mark_status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  async function finalStatus(trustMark: string): Promise<string> {
    const response = await post({ trust_mark: trustMark });
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.trustMarkStatusResponse);
    const claims = await verifyFederationJwt<Record<string, unknown>>(await response.text(), anchorJwks(), { typ: JOSE_TYPES.trustMarkStatusResponse, requireExp: false, ...clock() });
    expect(claims).toMatchObject({ iss: anchor.entityId, trust_mark: trustMark, iat: expect.any(Number) });
    return claims.status as string;
  }

  it('answers both forms, active → revoked after revoke-trust-mark; an unknown trust mark is invalid; bad requests get error JSON', async () => {
    const subject = 'https://status.example.it/';
    await enrollEntity(anchor.dir, { entityId: subject, entityType: 'openid_relying_party', jwks: rp.jwks });
    const mark = readAnchorState(anchor.dir).trustMarks.find((issued) => issued.subject === subject)!;
    const legacy = async () => (await (await post({ sub: subject, id: mark.type })).json()) as { active: boolean };

    expect(await finalStatus(mark.jwt)).toBe('active');
    expect(await legacy()).toEqual({ active: true });
    expect(await (await post({ sub: subject, trust_mark_id: mark.type })).json()).toEqual({ active: true });

    await revokeTrustMarks(anchor.dir, subject);
    expect(await finalStatus(mark.jwt)).toBe('revoked');
    expect(await legacy()).toEqual({ active: false });

    const [header, , signature] = mark.jwt.split('.');
    expect(await finalStatus(`${header}.${Buffer.from('{"sub":"x"}').toString('base64url')}.${signature}`)).toBe('invalid');

    expect(await errorOf(await post({}))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await post({ trust_mark: 'not a jwt' }))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await fetch(`${base}/trust_mark_status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await fetch(`${base}/trust_mark_status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(70_000) }))).toEqual({ status: 413, error: 'invalid_request' });
    expect(await errorOf(await fetch(`${base}/fetch?sub=x`, { method: 'DELETE' }))).toEqual({ status: 405, error: 'invalid_request' });
  });

  it('says expired for a trust mark past its exp', async () => {
    const subject = 'https://expired.example.it/';
    const longAgo = Math.floor(Date.now() / 1000) - 400 * 86_400;
    await enrollEntity(anchor.dir, { entityId: subject, entityType: 'openid_relying_party', jwks: rp.jwks }, longAgo);
    const mark = readAnchorState(anchor.dir).trustMarks.find((issued) => issued.subject === subject)!;
    const response = await post({ trust_mark: mark.jwt });
    expect(decodeUnverified(await response.text()).claims.status).toBe('expired');
  });
});

describe('resolve', () => {
  it('resolves an enrolled RP through the federation core: policy-applied metadata, its trust mark, the chain leaf → anchor', async () => {
    const response = await get(`/resolve?sub=${encodeURIComponent(rp.entityId)}&trust_anchor=${encodeURIComponent(anchor.entityId)}&entity_type=openid_relying_party`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.resolveResponse);
    const claims = await verifyFederationJwt<Record<string, unknown>>(await response.text(), anchorJwks(), { typ: JOSE_TYPES.resolveResponse, ...clock() });
    expect(claims).toMatchObject({ iss: anchor.entityId, sub: rp.entityId });
    const metadata = claims.metadata as Record<string, Record<string, unknown>>;
    expect(metadata.openid_relying_party).toMatchObject({ jwks: rp.protocolJwks, response_types: ['code'], client_registration_types: ['automatic'] });
    const chain = claims.trust_chain as string[];
    expect(chain).toHaveLength(3);
    expect(chain.map((jwt) => [decodeUnverified(jwt).claims.iss, decodeUnverified(jwt).claims.sub])).toEqual([
      [rp.entityId, rp.entityId],
      [anchor.entityId, rp.entityId],
      [anchor.entityId, anchor.entityId],
    ]);
    expect(claims.trust_marks).toEqual([expect.objectContaining({ trust_mark_type: `${base}/openid_relying_party/public/` })]);
  });

  it('also takes the older anchor parameter; another anchor is invalid_trust_anchor, a missing sub invalid_request, an unreachable sub a 404', async () => {
    expect((await get(`/resolve?sub=${encodeURIComponent(rp.entityId)}&anchor=${encodeURIComponent(anchor.entityId)}`)).status).toBe(200);
    expect(await errorOf(await get(`/resolve?sub=${encodeURIComponent(rp.entityId)}&trust_anchor=https%3A%2F%2Fother.example%2F`))).toEqual({ status: 404, error: 'invalid_trust_anchor' });
    expect(await errorOf(await get(`/resolve?trust_anchor=${encodeURIComponent(anchor.entityId)}`))).toEqual({ status: 400, error: 'invalid_request' });
    expect(await errorOf(await get(`/resolve?sub=${encodeURIComponent('http://127.0.0.1:1')}&trust_anchor=${encodeURIComponent(anchor.entityId)}`))).toEqual({ status: 404, error: 'not_found' });
  });

  it('resolves an RP under an intermediate served by the same server (its own entity configuration, fetch and list)', async () => {
    const intermediate = await addIntermediate(anchor.dir, 'aggregatore');
    const under = await startTestRelyingParty({ entityId: intermediate.entityId, fetchEndpoint: `${intermediate.entityId}/fetch` });
    try {
      await enrollEntity(anchor.dir, { entityId: under.entityId, entityType: 'openid_relying_party', jwks: under.jwks, protocolJwks: under.protocolJwks as never, via: 'aggregatore' });
      const configuration = await (await fetch(`${intermediate.entityId}/.well-known/openid-federation`)).text();
      expect(decodeUnverified(configuration).claims).toMatchObject({ iss: intermediate.entityId, authority_hints: [anchor.entityId] });
      expect(await (await fetch(`${intermediate.entityId}/list`)).json()).toEqual([under.entityId]);
      expect(await (await get('/list?intermediate=true')).json()).toEqual([intermediate.entityId]);
      const response = await get(`/resolve?sub=${encodeURIComponent(under.entityId)}&trust_anchor=${encodeURIComponent(anchor.entityId)}`);
      const body = await response.text();
      expect([response.status, body.startsWith('{') ? body : 'jwt']).toEqual([200, 'jwt']);
      const chain = decodeUnverified(body).claims.trust_chain as string[];
      expect(chain.map((jwt) => decodeUnverified(jwt).claims.iss)).toEqual([under.entityId, intermediate.entityId, anchor.entityId, anchor.entityId]);
    } finally {
      await under.close();
    }
  });
});

describe('legacy names and key rotation', () => {
  it('in legacy mode also emits trust_marks_issuers, federation_entity.name, federation_status_endpoint and trust-mark id / trust_mark_id', async () => {
    const legacy = await startTestAnchor({ legacy: true });
    try {
      const legacyBase = legacy.entityId.replace(/\/$/, '');
      await enrollEntity(legacy.dir, { entityId: OP, entityType: 'openid_provider', jwks: opJwks });
      const configuration = decodeUnverified(await (await fetch(`${legacyBase}/.well-known/openid-federation`)).text()).claims as EntityStatementClaims;
      expect(configuration.trust_marks_issuers).toEqual(configuration.trust_mark_issuers);
      expect(configuration.metadata!.federation_entity).toMatchObject({ name: expect.any(String), federation_status_endpoint: `${legacyBase}/trust_mark_status` });
      const statementAboutOp = decodeUnverified(await (await fetch(`${legacyBase}/fetch?sub=${encodeURIComponent(OP)}`)).text()).claims as EntityStatementClaims;
      const type = `${legacyBase}/openid_provider/public/`;
      expect(statementAboutOp.trust_marks![0]).toMatchObject({ trust_mark_type: type, trust_mark_id: type, id: type });
    } finally {
      await legacy.dispose();
    }
  });

  it('after rotate-keys the configuration is still signed with the old key and lists both; statements use the new one; --retire-old leaves the new one', async () => {
    const [oldKey] = readAnchorKeys(anchor.dir)[anchor.entityId]!;
    const configuredBefore = anchorJwks();
    const { added } = await rotateAnchorKeys(anchor.dir);
    // A provider configured with the old key only still resolves an RP during the rotation.
    const resolver = new TrustChainResolver({
      anchors: [{ entityId: anchor.entityId, jwks: configuredBefore, requiredTrustMarks: [`${base}/openid_relying_party/public/`], legacyRequestObjects: false }],
      fetcher: boundedFetcher({ timeoutMs: 4000, maxBytes: 65536 }),
      limits: { resolveTimeoutMs: 10_000, maxAuthorityHints: 2 },
      clockTolerance: 5,
      log: () => undefined,
    });
    expect((await resolver.resolve(rp.entityId)).trustAnchor).toBe(anchor.entityId);
    const configuration = await (await get('/.well-known/openid-federation')).text();
    expect(decodeUnverified(configuration).header.kid).toBe(oldKey!.kid);
    expect((decodeUnverified(configuration).claims as EntityStatementClaims).jwks.keys.map((key) => key.kid)).toEqual([oldKey!.kid, added!.kid]);
    expect(decodeUnverified(await (await get(`/fetch?sub=${encodeURIComponent(OP)}`)).text()).header.kid).toBe(added!.kid);
    await rotateAnchorKeys(anchor.dir, { retireOld: true });
    const after = await (await get('/.well-known/openid-federation')).text();
    expect(decodeUnverified(after).header.kid).toBe(added!.kid);
    expect((decodeUnverified(after).claims as EntityStatementClaims).jwks.keys.map((key) => key.kid)).toEqual([added!.kid]);
  });
});

describe('enroll from the entity configuration', () => {
  it('reads the keys, type, OIDC keys and name from the RP\'s own entity configuration (what the demo banner\'s command does)', async () => {
    const { enrollRequestFromConfiguration } = await import('../../../src/simulator/federation/index.js');
    const fresh = await startTestRelyingParty({ entityId: anchor.entityId, fetchEndpoint: `${base}/fetch` });
    try {
      const request = await enrollRequestFromConfiguration(fresh.entityId, {});
      expect(request).toMatchObject({ entityId: fresh.entityId, entityType: 'openid_relying_party', jwks: fresh.jwks, protocolJwks: fresh.protocolJwks, organizationName: 'Servizio di prova' });
    } finally {
      await fresh.close();
    }
  });
});

describe('bad requests', () => {
  it('unknown paths get 404 error JSON; a crafted path never crashes the server', async () => {
    expect(await errorOf(await get('/nothing'))).toEqual({ status: 404, error: 'not_found' });
    expect(await errorOf(await get('/%E0%A4%A'))).toEqual({ status: 404, error: 'not_found' });
    expect((await get('/.well-known/openid-federation')).status).toBe(200);
  });
});
