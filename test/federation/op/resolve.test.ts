import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { MEDIA_TYPES } from '../../../src/federation/media-types.js';
import { resolveResponseClaims } from '../../../src/federation/op/resolve-response.js';
import { resolveRoute } from '../../../src/federation/op/resolve-route.js';
import type { TrustChain } from '../../../src/federation/op/chain-source.js';
import { RP, RP_PUBLIC, TA } from '../../support/federation/standard-federation.js';
import { OP_TRUST_MARK, startOpStack, type OpStack } from './support/op-stack.js';

let stack: OpStack;
let chain: TrustChain;
beforeAll(async () => {
  stack = await startOpStack();
});
afterAll(async () => stack?.close());

async function resolve(query: string) {
  const response = await fetch(`${stack.issuer}/resolve?${query}`);
  const body = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}

const q = (params: [string, string][]) => new URLSearchParams(params).toString();

test('a subject whose chain is not cached is not_found (404), and the request fetched nothing: no discovery per resolve request', async () => {
  const before = stack.federation.calls.length;
  const answer = await resolve(q([['sub', RP], ['trust_anchor', TA]]));
  expect(answer.status).toBe(404);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toMatchObject({ error: 'not_found' });
  expect(stack.federation.calls.length).toBe(before);
});

describe('once the chain is cached (a login resolved it)', () => {
  beforeAll(async () => {
    chain = await stack.app.federation.chains!.get(RP);
  });

  test('trust_anchor: a resolve-response+jwt signed with the federation keys: iss, sub, iat, exp ≤ the chain\'s, metadata, trust marks, trust_chain', async () => {
    const before = stack.federation.calls.length;
    const answer = await resolve(q([['sub', RP], ['trust_anchor', TA]]));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(MEDIA_TYPES.resolveResponse);
    const header = decodeProtectedHeader(answer.body);
    expect(header).toMatchObject({ typ: 'resolve-response+jwt', kid: stack.federationKeys.signing.kid });
    const key = stack.federationKeys.publicJwks.keys.find((k) => k.kid === header.kid)!;
    await expect(compactVerify(answer.body, await importJWK(key, header.alg))).resolves.toBeDefined();
    const claims = decodeJwt(answer.body);
    expect(claims).toMatchObject({ iss: stack.issuer, sub: RP, trust_chain: chain.statements, metadata: chain.metadata });
    expect(claims.exp).toBeLessThanOrEqual(chain.exp);
    expect(claims.iat).toBeLessThanOrEqual(claims.exp!);
    expect((claims.trust_chain as string[])[0]).toBe(chain.statements[0]);
    expect(claims.trust_marks).toEqual([expect.objectContaining({ trust_mark_type: RP_PUBLIC, id: RP_PUBLIC, trust_mark: chain.trustMarks[0]!.jwt })]);
    expect(stack.federation.calls.length).toBe(before);
  });

  test('the Italian profile\'s `anchor` parameter is read as trust_anchor', async () => {
    const answer = await resolve(q([['sub', RP], ['anchor', TA]]));
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body).sub).toBe(RP);
  });

  test('entity_type (repeatable) keeps only those types of metadata', async () => {
    const one = decodeJwt((await resolve(q([['sub', RP], ['trust_anchor', TA], ['entity_type', 'openid_relying_party']]))).body);
    expect(Object.keys(one.metadata as object)).toEqual(['openid_relying_party']);
    const two = decodeJwt((await resolve(q([['sub', RP], ['trust_anchor', TA], ['entity_type', 'openid_relying_party'], ['entity_type', 'federation_entity']]))).body);
    expect(Object.keys(two.metadata as object).sort()).toEqual(['federation_entity', 'openid_relying_party']);
    const none = decodeJwt((await resolve(q([['sub', RP], ['trust_anchor', TA], ['entity_type', 'openid_provider']]))).body);
    expect(none.metadata).toEqual({});
  });

  test('errors: sub or trust anchor missing or repeated → invalid_request (400); an anchor not configured → invalid_trust_anchor (404)', async () => {
    for (const query of [q([['trust_anchor', TA]]), q([['sub', RP]]), q([['sub', RP], ['sub', RP], ['trust_anchor', TA]])]) {
      const answer = await resolve(query);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request' });
    }
    const unknown = await resolve(q([['sub', RP], ['trust_anchor', 'https://other-anchor.example']]));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'invalid_trust_anchor' });
    const post = await fetch(`${stack.issuer}/resolve?${q([['sub', RP], ['trust_anchor', TA]])}`, { method: 'POST' });
    expect(post.status).toBe(400);
  });
});

test('the provider\'s own chain under its anchor: its entity configuration, the anchor\'s statement about it, the anchor\'s configuration; no fetch at request time', async () => {
  const ownEc = await (await fetch(`${stack.issuer}/.well-known/openid-federation`)).text();
  const before = stack.federation.calls.length;
  const answer = await resolve(q([['sub', stack.issuer], ['trust_anchor', TA]]));
  expect(answer.status).toBe(200);
  const claims = decodeJwt(answer.body);
  const chainStatements = claims.trust_chain as string[];
  expect(chainStatements).toHaveLength(3);
  expect(chainStatements[0]).toBe(ownEc);
  expect(decodeJwt(chainStatements[1]!)).toMatchObject({ iss: TA, sub: stack.issuer });
  expect(decodeJwt(chainStatements[2]!)).toMatchObject({ iss: TA, sub: TA });
  expect(Object.keys(claims.metadata as object).sort()).toEqual(['federation_entity', 'openid_provider']);
  expect(claims.trust_marks).toEqual([expect.objectContaining({ trust_mark_type: OP_TRUST_MARK })]);
  expect(claims.exp).toBeLessThanOrEqual(decodeJwt(ownEc).exp!);
  expect(stack.federation.calls.length).toBe(before);
});

test('trust marks are those valid at request time; exp never outlives the chain nor the statement lifetime', () => {
  const base: TrustChain = {
    subject: RP,
    trustAnchor: TA,
    statements: ['a', 'b'],
    metadata: { openid_relying_party: { client_name: 'x' } },
    trustMarks: [
      { type: 'expired', issuer: TA, subject: RP, exp: 999, jwt: 'old' },
      { type: 'current', issuer: TA, subject: RP, exp: 1001, jwt: 'new' },
      { type: 'forever', issuer: TA, subject: RP, jwt: 'eternal' },
    ],
    exp: 5000,
    resolvedAt: 900,
  };
  const claims = resolveResponseClaims({ issuer: 'https://op.example', chain: base, entityTypes: [], now: 1000, lifetimeSeconds: 60 });
  expect((claims.trust_marks as { trust_mark: string }[]).map((mark) => mark.trust_mark)).toEqual(['new', 'eternal']);
  expect(claims.exp).toBe(1060);
  expect(resolveResponseClaims({ issuer: 'https://op.example', chain: { ...base, exp: 1010 }, entityTypes: [], now: 1000, lifetimeSeconds: 60 }).exp).toBe(1010);
});

test('a resolve answer is signed once and handed out until half its life (or a listed trust mark\'s expiry), anew for a new chain: GETs cannot make the provider sign per request', async () => {
  const signingKey = stack.federationKeys.signing;
  let now = 1000;
  let cached: TrustChain = {
    subject: RP,
    trustAnchor: TA,
    statements: ['a', 'b'],
    metadata: { openid_relying_party: { client_name: 'x' } },
    trustMarks: [{ type: 'current', issuer: TA, subject: RP, exp: 1500, jwt: 'mark' }],
    exp: 5000,
    resolvedAt: 900,
  };
  const route = resolveRoute({ issuer: 'https://op.example', chains: { cached: () => cached }, trustAnchors: [TA], signingKey, lifetimeSeconds: 600, now: () => now });
  const ask = async (query: Record<string, string | string[]> = { sub: RP, trust_anchor: TA }) => {
    const ctx = { path: '/resolve', method: 'GET', query, set: () => undefined, type: '', body: undefined as unknown, status: 200 };
    await route(ctx as never, async () => undefined);
    return ctx.body as string;
  };
  const first = await ask();
  now += 299; // under half of the 600 s lifetime
  expect(await ask()).toBe(first);
  expect(await ask({ sub: RP, trust_anchor: TA, entity_type: 'openid_relying_party' })).not.toBe(first); // another question, its own answer
  now += 1; // half life: signed anew
  const second = await ask();
  expect(second).not.toBe(first);
  expect(decodeJwt(second).iat).toBe(1300);
  cached = { ...cached, statements: ['a', 'c'] }; // the chain was refreshed
  const third = await ask();
  expect(third).not.toBe(second);
  expect(decodeJwt(third).trust_chain).toEqual(['a', 'c']);
  now = 1499;
  const beforeMarkExpiry = await ask();
  now = 1500; // the listed trust mark expires: the answer no longer lists it
  expect(decodeJwt(await ask()).trust_marks).toEqual([]);
  expect(decodeJwt(beforeMarkExpiry).trust_marks).toHaveLength(1);
});
