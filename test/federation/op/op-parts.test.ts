import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvider } from '../../../src/oidc/provider.js';
import { loadProviderKeys } from '../../../src/oidc/provider-keys.js';
import { clientMetadataFromChain, FEDERATED_CLIENT_PROPERTIES } from '../../../src/federation/op/client-metadata-from-chain.js';
import type { TrustChain } from '../../../src/federation/op/chain-source.js';
import { looksLikeEntityId, MAX_ENTITY_ID_LENGTH } from '../../../src/federation/op/entity-id.js';
import { withFederatedClients } from '../../../src/federation/op/federated-client-adapter.js';
import { FederationError } from '../../../src/federation/federation-error.js';
import type { AdapterFactory } from 'oidc-provider';
import { FEDERATION_JWKS_FILE, loadFederationKeys } from '../../../src/federation/op/federation-keys.js';
import { HalfLifeStatement } from '../../../src/federation/op/half-life-statement.js';
import { OwnTrustMarks, RETRY_AFTER_FAILURE_SECONDS, type OwnTrustMark } from '../../../src/federation/op/own-trust-marks.js';
import { createFederationOp } from '../../../src/federation/op/federation-op.js';
import type { ProviderConfig } from '../../../src/config/config.js';

const RP = 'https://rp.example';
const rsaSig = { kty: 'RSA', kid: 'sig', use: 'sig', n: 'x', e: 'AQAB' };
const rsaEnc = { kty: 'RSA', kid: 'enc', use: 'enc', n: 'y', e: 'AQAB' };

function chain(rp: Record<string, unknown>, extra: Partial<TrustChain> = {}): TrustChain {
  return { subject: RP, trustAnchor: 'https://ta.example', statements: [], metadata: { openid_relying_party: { redirect_uris: [`${RP}/cb`], jwks: { keys: [rsaSig] }, ...rp } }, trustMarks: [], exp: 2, resolvedAt: 1, ...extra };
}

describe('client metadata from a resolved chain', () => {
  test('the profile\'s defaults where the RP is silent; client_id is always the entity id', () => {
    expect(clientMetadataFromChain(chain({ client_id: 'https://someone-else.example' }), false)).toEqual({
      client_id: RP,
      redirect_uris: [`${RP}/cb`],
      jwks: { keys: [rsaSig] },
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'RS256',
      subject_type: 'pairwise',
    });
  });

  test('with an encryption key: userinfo signed RS256 and encrypted (the key\'s alg, else RSA-OAEP-256) with A256CBC-HS512', () => {
    expect(clientMetadataFromChain(chain({ jwks: { keys: [rsaSig, rsaEnc] } }), false)).toMatchObject({ userinfo_signed_response_alg: 'RS256', userinfo_encrypted_response_alg: 'RSA-OAEP-256', userinfo_encrypted_response_enc: 'A256CBC-HS512' });
    expect(clientMetadataFromChain(chain({ jwks: { keys: [rsaSig, { ...rsaEnc, alg: 'RSA-OAEP' }] } }), false)).toMatchObject({ userinfo_encrypted_response_alg: 'RSA-OAEP' });
    expect(clientMetadataFromChain(chain({ jwks: { keys: [rsaSig, { kty: 'EC', crv: 'P-256', kid: 'e', use: 'enc', x: 'a', y: 'b' }] } }), false)).toMatchObject({ userinfo_encrypted_response_alg: 'ECDH-ES' });
    // What the RP says wins.
    expect(clientMetadataFromChain(chain({ jwks: { keys: [rsaSig, rsaEnc] }, userinfo_signed_response_alg: 'RS512' }), false)).not.toHaveProperty('userinfo_encrypted_response_alg');
  });

  test('only properties the provider acts on: jwks_uri, secrets, unknown and the RP\'s own legacy_request_objects are dropped; client_name from the organisation', () => {
    const metadata = clientMetadataFromChain(chain({ jwks_uri: 'https://rp.example/jwks', client_secret: 's', sector_identifier_uri: 'https://rp.example/s', legacy_request_objects: true, organization_name: 'Comune', client_registration_types: ['automatic'] }), false);
    expect(metadata).not.toHaveProperty('jwks_uri');
    expect(metadata).not.toHaveProperty('client_secret');
    expect(metadata).not.toHaveProperty('sector_identifier_uri');
    expect(metadata).not.toHaveProperty('legacy_request_objects');
    expect(metadata).not.toHaveProperty('client_registration_types');
    expect(metadata.client_name).toBe('Comune');
  });

  test('legacy_request_objects from the anchor\'s setting: true for every RP, or the listed ones', () => {
    expect(clientMetadataFromChain(chain({}), true).legacy_request_objects).toBe(true);
    expect(clientMetadataFromChain(chain({}), [RP]).legacy_request_objects).toBe(true);
    expect(clientMetadataFromChain(chain({}), ['https://other.example'])).not.toHaveProperty('legacy_request_objects');
  });

  test('no openid_relying_party metadata, no jwks or no redirect_uris: refused with a federation code', () => {
    expect(() => clientMetadataFromChain({ ...chain({}), metadata: {} }, false)).toThrow(expect.objectContaining({ code: 'metadata_policy_violation' }));
    expect(() => clientMetadataFromChain(chain({ jwks: { keys: [] } }), false)).toThrow(expect.objectContaining({ code: 'metadata_policy_violation' }));
    expect(() => clientMetadataFromChain(chain({ redirect_uris: [] }), false)).toThrow(expect.objectContaining({ code: 'metadata_policy_violation' }));
  });

  test('every property taken is one oidc-provider recognises under this provider\'s configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cie-fed-props-'));
    try {
      const provider = createProvider({ issuer: 'http://localhost:1', keys: await loadProviderKeys(dir, true), clients: [], accounts: undefined as never, clockToleranceSeconds: 5, sessionTtlSeconds: 60, renderError: async () => undefined });
      // Building a client makes the library settle its recognised metadata.
      const client = new (provider.Client as unknown as new (metadata: object) => { clientId: string })({ client_id: RP, redirect_uris: [`${RP}/cb`], jwks: { keys: [] }, token_endpoint_auth_method: 'private_key_jwt' });
      const { default: instance } = (await import('oidc-provider/lib/helpers/weak_cache.js' as string)) as { default: (p: object) => { RECOGNIZED_METADATA: string[] } };
      expect(client.clientId).toBe(RP);
      const recognised = instance(provider).RECOGNIZED_METADATA;
      expect(FEDERATED_CLIENT_PROPERTIES.filter((property) => !recognised.includes(property))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('entity ids: https URLs without query or fragment; loopback hosts only for a provider that is itself on loopback', () => {
  for (const id of ['https://rp.example', 'https://rp.example/path/']) expect(looksLikeEntityId(id)).toBe(true);
  for (const id of ['http://localhost:3000', 'http://127.0.0.1:8000/rp', 'http://[::1]:3000', 'https://localhost']) {
    expect(looksLikeEntityId(id, true)).toBe(true);
    expect(looksLikeEntityId(id)).toBe(false);
  }
  for (const id of ['http://rp.example', 'rp', 'https://rp.example?x=1', 'https://rp.example#f', 'https://u:p@rp.example', 'urn:x:y', '']) expect(looksLikeEntityId(id, true)).toBe(false);
});

test('an entity id longer than MAX_ENTITY_ID_LENGTH is never resolved (each failure is remembered per id: huge made-up ids would pin memory)', () => {
  const at = (length: number) => `https://rp.example/${'a'.repeat(length - 'https://rp.example/'.length)}`;
  expect(looksLikeEntityId(at(MAX_ENTITY_ID_LENGTH))).toBe(true);
  expect(looksLikeEntityId(at(MAX_ENTITY_ID_LENGTH + 1))).toBe(false);
  expect(looksLikeEntityId(at(50_000))).toBe(false);
});

test('a provider on a public name never resolves a loopback client_id; a federated lookup failure is no client, logged with its code', async () => {
  const asked: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const chains = {
    get: async (subject: string) => {
      asked.push(subject);
      throw new FederationError('trust_mark_missing', 'none');
    },
    cached: () => undefined,
  };
  const base = (() => ({ find: async () => undefined })) as unknown as AdapterFactory;
  const options = { chains, legacyRequestObjects: () => false as const, staticClientIds: new Set<string>(), log: (line: Record<string, unknown>) => logs.push(line) };
  const publicProvider = withFederatedClients(base, { ...options, allowLoopback: false })('Client');
  expect(await publicProvider.find('http://127.0.0.1:6379')).toBeUndefined();
  expect(await publicProvider.find('https://localhost')).toBeUndefined();
  expect(asked).toEqual([]);
  expect(await publicProvider.find(RP)).toBeUndefined();
  expect(asked).toEqual([RP]);
  expect(logs).toEqual([expect.objectContaining({ event: 'federation_client_refused', client_id: RP, code: 'trust_mark_missing' })]);
  const localProvider = withFederatedClients(base, { ...options, allowLoopback: true })('Client');
  await localProvider.find('http://127.0.0.1:6379');
  expect(asked).toEqual([RP, 'http://127.0.0.1:6379']);
});

test('own trust marks from the superiors: fetched at the first request, again after refreshSeconds, a minute after a failure; a change re-signs', async () => {
  let now = 1000;
  let answer: Error | OwnTrustMark[] = new FederationError('fetch_failed', 'HTTP 404');
  let fetches = 0;
  let changes = 0;
  const logs: Record<string, unknown>[] = [];
  const marks = new OwnTrustMarks(
    {
      fetch: async () => {
        fetches += 1;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      refreshSeconds: 3600,
    },
    () => (changes += 1),
    (line) => logs.push(line),
    () => now,
  );
  expect(await marks.current()).toEqual([]);
  expect(logs).toEqual([expect.objectContaining({ event: 'federation_own_trust_marks_unavailable', code: 'fetch_failed' })]);
  answer = [{ type: 'https://ta.example/openid_provider/public/', jwt: 'a.b.c', exp: 5000 }];
  now = 1000 + RETRY_AFTER_FAILURE_SECONDS - 1;
  await marks.current();
  expect(fetches).toBe(1);
  now = 1000 + RETRY_AFTER_FAILURE_SECONDS;
  await marks.current();
  await new Promise((resolve) => setImmediate(resolve));
  expect([fetches, changes]).toEqual([2, 1]);
  expect((await marks.current()).map((mark) => mark.jwt)).toEqual(['a.b.c']);
  now += 3599;
  await marks.current();
  expect(fetches).toBe(2);
  now = 5000;
  expect(await marks.current()).toEqual([]);
});

describe('federation keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cie-fed-keys-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  test('GENERATE_KEYS: generated once (RSA, RS256, kid, mode 0600), separate from jwks.json, the same keys on the next start', async () => {
    const first = await loadFederationKeys(dir, true);
    expect(first.signing).toMatchObject({ alg: 'RS256' });
    expect((await stat(join(dir, FEDERATION_JWKS_FILE))).mode & 0o777).toBe(0o600);
    expect(first.publicJwks.keys[0]).toMatchObject({ kty: 'RSA', kid: first.signing.kid });
    expect(first.publicJwks.keys[0]).not.toHaveProperty('d');
    const again = await loadFederationKeys(dir, false);
    expect(again.signing.kid).toBe(first.signing.kid);
    const oidc = await loadProviderKeys(dir, true);
    expect(oidc.jwks.keys.map((key) => key.kid)).not.toContain(first.signing.kid);
  });

  test('missing and GENERATE_KEYS=false: refused with invalid_config', async () => {
    await expect(loadFederationKeys(dir, false)).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining(FEDERATION_JWKS_FILE) });
  });

  test('rotation: the first key signs, every key is published', async () => {
    const other = await mkdtemp(join(tmpdir(), 'cie-fed-keys-'));
    try {
      await Promise.all([loadFederationKeys(dir, true), loadFederationKeys(other, true)]);
      const read = async (at: string) => (JSON.parse(await readFile(join(at, FEDERATION_JWKS_FILE), 'utf8')) as { keys: { kid: string }[] }).keys[0]!;
      const [old, fresh] = [await read(dir), await read(other)];
      await writeFile(join(dir, FEDERATION_JWKS_FILE), JSON.stringify({ keys: [old, fresh] }));
      const added = await loadFederationKeys(dir, false);
      expect(added.signing.kid).toBe(old.kid);
      expect(added.publicJwks.keys.map((key) => key.kid)).toEqual([old.kid, fresh.kid]);
      await writeFile(join(dir, FEDERATION_JWKS_FILE), JSON.stringify({ keys: [fresh, old] }));
      expect((await loadFederationKeys(dir, false)).signing.kid).toBe(fresh.kid);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

test('a statement is signed again once half its life has passed (or at renewAt), once however many callers wait, and after invalidate', async () => {
  let now = 1000;
  let signed = 0;
  const statement = new HalfLifeStatement(async (at) => {
    signed += 1;
    return { jwt: `jwt-${signed}`, iat: at, exp: at + 100, ...(signed === 2 ? { renewAt: at + 10 } : {}) };
  }, () => now);
  const [a, b] = await Promise.all([statement.current(), statement.current()]);
  expect([a.jwt, b.jwt, signed]).toEqual(['jwt-1', 'jwt-1', 1]);
  now = 1049;
  expect((await statement.current()).jwt).toBe('jwt-1');
  now = 1050;
  expect((await statement.current()).jwt).toBe('jwt-2');
  now = 1060;
  expect((await statement.current()).jwt).toBe('jwt-3');
  statement.invalidate();
  expect((await statement.current()).jwt).toBe('jwt-4');
});

test('a provider on a public name refuses to start with a trust anchor or authority hint on a loopback host (it could never fetch it); on loopback itself it starts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fed-loopback-anchor-'));
  try {
    const trustAnchorsFile = join(dir, 'trust-anchors.json');
    await writeFile(trustAnchorsFile, JSON.stringify([{ entity_id: 'http://127.0.0.1:8970', jwks: { keys: [rsaSig] } }]));
    const config = (issuer: string, federation: Record<string, unknown>) => ({ issuer, keysDir: join(dir, 'keys'), generateKeys: true, clockToleranceSeconds: 60, federation: { fetchTimeoutMs: 1000, fetchMaxBytes: 1024, resolveTimeoutMs: 1000, maxAuthorityHints: 2, chainMaxAgeSeconds: 60, trustMarkStatusIntervalSeconds: 60, authorityHints: [], ...federation } }) as unknown as ProviderConfig;
    await expect(createFederationOp(config('https://op.example', { trustAnchorsFile }))).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('http://127.0.0.1:8970') });
    await expect(createFederationOp(config('https://op.example', { authorityHints: ['http://localhost:8970'] }))).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(createFederationOp(config('http://localhost:3000', { trustAnchorsFile }))).resolves.toMatchObject({ automaticRegistration: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
