import { hash, randomBytes } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { createMemoryAdapterFactory } from '../../src/storage/adapters/memory-adapter.js';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import type { RedisClient } from '../../src/storage/redis/connection.js';
import { startRedis, type RedisHandle } from '../support/redis-server.js';
import { authorizationRequest, authorize, signedBy } from './support/request-object.js';
import { startProfileStack, type ProfileStack, type TestRp } from './support/profile-stack.js';

// Issue 13 item 1: nothing is stored before a signature verifies, and no replay entry outlives the
// longest lifetime the configuration allows (defaults: request objects 600 s, client assertions
// 300 s; the profile stack's clock tolerance is 5 s, so no entry may need more than 610 s).
const TOLERANCE = 5;
const CAP_SECONDS = 600 + 2 * TOLERANCE;
const FIFTY_YEARS = 50 * 365 * 86400;
const now = () => Math.floor(Date.now() / 1000);
const randomJti = () => randomBytes(16).toString('base64url');
const toInteraction = (outcome: { status: number; location?: URL }) => outcome.status === 303 && /^\/interaction\/[^/]+$/.test(outcome.location?.pathname ?? '');

interface Backend {
  adapter: Parameters<typeof startProfileStack>[0] extends infer O ? (O extends { adapter?: infer A } ? A : never) : never;
  /** Seconds the storage itself will keep a ReplayDetection entry (Redis PTTL), or undefined in memory. */
  storedTtl(id: string): Promise<number | undefined>;
  replayEntryCount(): Promise<number | undefined>;
  close(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  ['memory', async () => ({ adapter: createMemoryAdapterFactory({ clockToleranceSeconds: TOLERANCE }), storedTtl: async () => undefined, replayEntryCount: async () => undefined, close: async () => {} })],
  [
    'redis',
    async () => {
      const server: RedisHandle = await startRedis();
      const redis: RedisClient = await server.connect();
      const prefix = server.keyPrefix;
      const keysOfReplay = async () => (await redis.keys(`${prefix}ReplayDetection:*`)) as string[];
      return {
        adapter: createRedisAdapterFactory(redis, { clockToleranceSeconds: TOLERANCE, keyPrefix: prefix }),
        storedTtl: async (id) => {
          const ms = await redis.pttl(`${prefix}ReplayDetection:${id}`);
          return ms < 0 ? undefined : ms / 1000;
        },
        replayEntryCount: async () => (await keysOfReplay()).length,
        close: async () => {
          await redis.quit();
          await server.stop();
        },
      };
    },
  ],
];

/** The ReplayDetection id of a request object's jti (request-object-replay.ts) or a client assertion's (the library's). */
const requestObjectEntry = (rp: TestRp, jti: string) => hash('sha256', `request-object:${rp.clientId}jti:${jti}`, 'base64url');
const assertionEntry = (rp: TestRp, jti: string) => hash('sha256', `${rp.clientId}${jti}`, 'base64url');

describe.each(backends)('replay entries (%s storage)', (_label, open) => {
  let backend: Backend;
  let stack: ProfileStack;
  beforeAll(async () => {
    backend = await open();
    stack = await startProfileStack({ adapter: backend.adapter });
  });
  afterAll(async () => {
    await stack?.close();
    await backend?.close();
  });

  async function entryLifetime(id: string): Promise<number | undefined> {
    const entry = await stack.provider.ReplayDetection.find(id);
    return entry ? (entry as unknown as { exp: number }).exp - now() : undefined;
  }

  async function expectNoEntry(id: string): Promise<void> {
    expect(await stack.provider.ReplayDetection.find(id)).toBeUndefined();
    expect(await backend.storedTtl(id)).toBeUndefined();
  }

  test('forged request objects (bad signature, exp 50 years ahead) store nothing, and the genuine one with that jti then works', async () => {
    const jti = randomJti();
    const before = await backend.replayEntryCount();
    const { privateKey } = await generateKeyPair('RS256');
    for (let i = 0; i < 20; i += 1) {
      const forged = await authorizationRequest(stack, stack.rp, { jti, exp: now() + FIFTY_YEARS }, { redirect_uri: stack.rp.redirectUri }, (payload) =>
        new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: stack.rp.keys.signing.kid }).sign(privateKey));
      const outcome = await authorize(forged);
      expect(outcome).toMatchObject({ status: 400, error: 'invalid_request_object' });
      expect(outcome.location).toBeUndefined();
    }
    await expectNoEntry(requestObjectEntry(stack.rp, jti));
    expect(await backend.replayEntryCount()).toBe(before);
    expect(toInteraction(await authorize(await authorizationRequest(stack, stack.rp, { jti })))).toBe(true);
    expect((await authorize(await authorizationRequest(stack, stack.rp, { jti }))).error).toBe('invalid_request_object');
  });

  test('a request object living longer than REQUEST_OBJECT_MAX_LIFETIME, or issued in the future, is refused and stores nothing', async () => {
    const cases = [
      { iat: now(), exp: now() + FIFTY_YEARS },
      { iat: now(), exp: now() + 601 + TOLERANCE },
      { iat: now() + 120, exp: now() + 180 },
    ];
    for (const times of cases) {
      const jti = randomJti();
      const outcome = await authorize(await authorizationRequest(stack, stack.rp, { jti, ...times }));
      expect(outcome.error).toBe('invalid_request_object');
      expect(outcome.response?.get('error_description')).toMatch(/lifetime|ahead|future/);
      await expectNoEntry(requestObjectEntry(stack.rp, jti));
    }
  });

  test('an accepted request object is kept until its exp (plus tolerance), never beyond the cap', async () => {
    const jti = randomJti();
    expect(toInteraction(await authorize(await authorizationRequest(stack, stack.rp, { jti, iat: now(), exp: now() + 600 })))).toBe(true);
    const lifetime = (await entryLifetime(requestObjectEntry(stack.rp, jti)))!;
    expect(lifetime).toBeGreaterThan(600 - 5);
    expect(lifetime).toBeLessThanOrEqual(CAP_SECONDS);
    const stored = await backend.storedTtl(requestObjectEntry(stack.rp, jti));
    if (stored !== undefined) expect(stored).toBeLessThanOrEqual(CAP_SECONDS + TOLERANCE);
  });

  test('a legacy request object without exp is single use for a bounded time (its iat + the maximum lifetime)', async () => {
    const nonce = randomJti() + randomJti();
    const url = await authorizationRequest(stack, stack.legacyRp, { jti: undefined, exp: undefined, nonce, iat: now() });
    expect(toInteraction(await authorize(url))).toBe(true);
    const id = hash('sha256', `request-object:${stack.legacyRp.clientId}nonce:${nonce}`, 'base64url');
    const lifetime = (await entryLifetime(id))!;
    expect(lifetime).toBeGreaterThan(590);
    expect(lifetime).toBeLessThanOrEqual(CAP_SECONDS);
    expect((await authorize(url)).error).toBe('invalid_request_object');
    // An old iat is expired even without exp.
    const stale = await authorize(await authorizationRequest(stack, stack.legacyRp, { jti: undefined, exp: undefined, iat: now() - 700 }));
    expect(stale.error).toBe('invalid_request_object');
  });

  async function tokenRequestWith(claims: Record<string, unknown>): Promise<{ status: number; error: string }> {
    const assertion = await signedBy(stack.rp, { iss: stack.rp.clientId, sub: stack.rp.clientId, aud: `${stack.issuer}/token`, ...claims });
    const response = await fetch(`${stack.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: stack.rp.redirectUri,
        code_verifier: 'v'.repeat(43),
        client_id: stack.rp.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    return { status: response.status, error: ((await response.json()) as { error: string }).error };
  }

  test('a client assertion with exp a year ahead, a lifetime over CLIENT_ASSERTION_MAX_LIFETIME or iat in the future is refused, and stores nothing', async () => {
    for (const times of [{ iat: now(), exp: now() + 365 * 86400 }, { exp: now() + 400 }, { iat: now() - 100, exp: now() + 250 }, { iat: now() + 120, exp: now() + 180 }]) {
      const jti = randomJti();
      expect(await tokenRequestWith({ jti, ...times })).toEqual({ status: 401, error: 'invalid_client' });
      await expectNoEntry(assertionEntry(stack.rp, jti));
    }
  });

  test('an accepted client assertion is kept for its own lifetime (plus tolerance), and single use', async () => {
    const jti = randomJti();
    expect(await tokenRequestWith({ jti, iat: now(), exp: now() + 60 })).toMatchObject({ error: 'invalid_grant' });
    const lifetime = (await entryLifetime(assertionEntry(stack.rp, jti)))!;
    expect(lifetime).toBeGreaterThan(60);
    expect(lifetime).toBeLessThanOrEqual(60 + TOLERANCE + 1);
    expect(await tokenRequestWith({ jti, iat: now(), exp: now() + 60 })).toEqual({ status: 401, error: 'invalid_client' });
  });
});
