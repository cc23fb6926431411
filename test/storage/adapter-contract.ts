import type { AdapterFactory, AdapterPayload } from 'oidc-provider';
import { AlreadyConsumedError, EntryGoneError } from '../../src/storage/adapters/model-rules.js';
import { eventually } from './eventually.js';

import type { StoredFootprint } from '../support/stored-footprint.js';

export interface AdapterHarness {
  /** A fresh, empty adapter factory. */
  create(options: { clockToleranceSeconds: number }): AdapterFactory;
  /** What the store holds for the factory created last. */
  footprint(): Promise<StoredFootprint>;
  close(): Promise<void>;
}

/** The project's additions to an adapter (spent-tokens.ts). */
type GrantMemberAdapter = ReturnType<AdapterFactory> & {
  destroyAllOfGrant(grantId: string, keepId?: string): Promise<void>;
  spendRotated(grantId: string, id: string, rotation: number): Promise<void>;
  findSpent(grantId: string, rotation: number): Promise<AdapterPayload | undefined>;
};

/** A grant refreshed this many times, as an RP refreshing every 15 minutes does in a month (2,880). */
const ROTATIONS = 3_000;

interface OAuthError {
  error: string;
  statusCode: number;
}

async function rejectionOf(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    return error as OAuthError;
  }
  throw new Error('expected a rejection');
}

function token(grantId: string | undefined, extra: Partial<AdapterPayload> = {}): AdapterPayload {
  return { accountId: 'account-1', clientId: 'client-1', ...(grantId ? { grantId } : {}), iat: 1, exp: 2, ...extra };
}

/** Behaviour every oidc-provider adapter of this project must have (run against memory and Redis). */
export function describeAdapterContract(label: string, open: () => Promise<AdapterHarness>): void {
  describe(`${label}: oidc-provider adapter contract`, () => {
    let harness: AdapterHarness;
    let adapters: AdapterFactory;

    beforeAll(async () => {
      harness = await open();
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      adapters = harness.create({ clockToleranceSeconds: 5 });
    });

    test('upsert, find and destroy round-trip a payload', async () => {
      const interactions = adapters('Interaction');
      const payload = { jti: 'i1', kind: 'Interaction', iat: 10, exp: 70, params: { scope: 'openid' }, uid: 'u' };
      await interactions.upsert('i1', payload, 60);
      expect(await interactions.find('i1')).toEqual(payload);
      await interactions.destroy('i1');
      expect(await interactions.find('i1')).toBeUndefined();
    });

    test('find returns a copy, and models do not see each other\'s ids', async () => {
      await adapters('Interaction').upsert('same', { jti: 'same', scope: 'openid' }, 60);
      const found = (await adapters('Interaction').find('same')) as AdapterPayload;
      found.scope = 'changed';
      expect((await adapters('Interaction').find('same'))?.scope).toBe('openid');
      expect(await adapters('Session').find('same')).toBeUndefined();
      expect(await adapters('Interaction').find('other')).toBeUndefined();
    });

    test('upsert replaces the previous payload', async () => {
      const grants = adapters('Grant');
      await grants.upsert('g', { jti: 'g', scope: 'openid' }, 60);
      await grants.upsert('g', { jti: 'g', scope: 'openid profile' });
      expect(await grants.find('g')).toEqual({ jti: 'g', scope: 'openid profile' });
    });

    test('entries disappear after expiresIn + clock tolerance', async () => {
      const shortLived = harness.create({ clockToleranceSeconds: 0 });
      const codes = shortLived('AuthorizationCode');
      const sessions = shortLived('Session');
      await codes.upsert('c', token('g-exp'), 1);
      await sessions.upsert('s', { jti: 's', uid: 'uid-exp' }, 1);
      await eventually(async () => (await codes.find('c')) === undefined);
      await eventually(async () => (await sessions.findByUid('uid-exp')) === undefined);
      expect(await sessions.find('s')).toBeUndefined();
    });

    test('consume marks the entry; a second consume throws invalid_grant', async () => {
      const codes = adapters('AuthorizationCode');
      await codes.upsert('code-1', token('g1'), 60);
      await codes.consume('code-1');
      const found = await codes.find('code-1');
      expect(found?.consumed).toEqual(expect.any(Number));
      expect(found?.accountId).toBe('account-1');
      const error = await rejectionOf(codes.consume('code-1'));
      expect(error).toMatchObject({ error: 'invalid_grant', statusCode: 400 });
      // "Already consumed" (a leak: spent-tokens.ts revokes the grant), told apart from "gone".
      expect(error).toBeInstanceOf(AlreadyConsumedError);
    });

    test.each(['AuthorizationCode', 'RefreshToken', 'DeviceCode'])(
      '%s: of 50 concurrent consumers exactly one succeeds, the rest get invalid_grant',
      async (model) => {
        const store = adapters(model);
        await store.upsert('race', token('g-race'), 60);
        const results = await Promise.allSettled(Array.from({ length: 50 }, () => store.consume('race')));
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(rejected).toHaveLength(49);
        for (const { reason } of rejected) expect(reason).toMatchObject({ error: 'invalid_grant' });
      },
    );

    test('a reused pushed authorization request fails as invalid_request_uri', async () => {
      const requests = adapters('PushedAuthorizationRequest');
      await requests.upsert('par', { jti: 'par', request: 'eyJ...' }, 60);
      await requests.consume('par');
      expect(await rejectionOf(requests.consume('par'))).toMatchObject({ error: 'invalid_request_uri' });
    });

    test('consume of a missing or expired entry throws and creates nothing', async () => {
      const codes = harness.create({ clockToleranceSeconds: 0 })('AuthorizationCode');
      const never = await rejectionOf(codes.consume('never-stored'));
      expect(never).toMatchObject({ error: 'invalid_grant' });
      expect(never).toBeInstanceOf(EntryGoneError);
      expect(await codes.find('never-stored')).toBeUndefined();
      await codes.upsert('expiring', token(undefined), 1);
      await eventually(async () => (await codes.find('expiring')) === undefined);
      const expired = await rejectionOf(codes.consume('expiring'));
      expect(expired).toMatchObject({ error: 'invalid_grant' });
      expect(expired).toBeInstanceOf(EntryGoneError);
      expect(await codes.find('expiring')).toBeUndefined();
    });

    test('ReplayDetection accepts an id once; a collision is rejected as invalid_client', async () => {
      const replay = adapters('ReplayDetection');
      await replay.upsert('jti-hash', { jti: 'jti-hash', iss: 'client-1' }, 60);
      expect(await rejectionOf(replay.upsert('jti-hash', { jti: 'jti-hash', iss: 'client-1' }, 60))).toMatchObject({
        error: 'invalid_client',
        statusCode: 401,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => replay.upsert('concurrent', { jti: 'concurrent', iss: 'client-1' }, 60)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    test('revokeByGrantId removes exactly that grant\'s tokens, whichever model it is called on', async () => {
      const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode'] as const;
      for (const model of models) {
        await adapters(model).upsert(`${model}-a`, token('grant-a'), 60);
        await adapters(model).upsert(`${model}-b`, token('grant-b'), 60);
      }
      await adapters('Grant').upsert('grant-a', { jti: 'grant-a' }, 60);
      await adapters('AccessToken').revokeByGrantId('grant-a');
      for (const model of models) {
        expect(await adapters(model).find(`${model}-a`)).toBeUndefined();
        expect(await adapters(model).find(`${model}-b`)).toMatchObject({ grantId: 'grant-b' });
      }
      // The Grant itself is destroyed by the library separately (lib/helpers/revoke.js).
      expect(await adapters('Grant').find('grant-a')).toEqual({ jti: 'grant-a' });
      await adapters('RefreshToken').revokeByGrantId('grant-a');
    });

    test('destroyAllOfGrant removes only its own model\'s entries of that grant', async () => {
      const accessTokens = adapters('AccessToken') as ReturnType<AdapterFactory> & { destroyAllOfGrant(grantId: string, keepId?: string): Promise<void> };
      await accessTokens.upsert('at-1', token('grant-r'), 60);
      await accessTokens.upsert('at-2', token('grant-r'), 60);
      await accessTokens.upsert('at-other', token('grant-s'), 60);
      await adapters('RefreshToken').upsert('rt-1', token('grant-r'), 60);
      await accessTokens.destroyAllOfGrant('grant-r');
      expect(await accessTokens.find('at-1')).toBeUndefined();
      expect(await accessTokens.find('at-2')).toBeUndefined();
      expect(await accessTokens.find('at-other')).toMatchObject({ grantId: 'grant-s' });
      expect(await adapters('RefreshToken').find('rt-1')).toMatchObject({ grantId: 'grant-r' });
      // The grant's remaining members are still revoked together afterwards.
      await accessTokens.upsert('at-3', token('grant-r'), 60);
      await accessTokens.revokeByGrantId('grant-r');
      expect(await accessTokens.find('at-3')).toBeUndefined();
      expect(await adapters('RefreshToken').find('rt-1')).toBeUndefined();
    });

    test('destroyAllOfGrant can keep one entry (the access token issued by the refresh that spends the others)', async () => {
      const accessTokens = adapters('AccessToken') as ReturnType<AdapterFactory> & { destroyAllOfGrant(grantId: string, keepId?: string): Promise<void> };
      for (const id of ['at-old-1', 'at-old-2', 'at-new']) await accessTokens.upsert(id, token('grant-k'), 60);
      await accessTokens.destroyAllOfGrant('grant-k', 'at-new');
      expect(await accessTokens.find('at-old-1')).toBeUndefined();
      expect(await accessTokens.find('at-old-2')).toBeUndefined();
      expect(await accessTokens.find('at-new')).toMatchObject({ grantId: 'grant-k' });
      // The kept entry is still a member of its grant.
      await accessTokens.revokeByGrantId('grant-k');
      expect(await accessTokens.find('at-new')).toBeUndefined();
    });

    test('a destroyed token is gone and revoking its grant afterwards still works', async () => {
      const tokens = adapters('AccessToken');
      await tokens.upsert('t1', token('grant-d'), 60);
      await tokens.upsert('t2', token('grant-d'), 60);
      await tokens.destroy('t1');
      expect(await tokens.find('t1')).toBeUndefined();
      expect(await tokens.find('t2')).toBeDefined();
      await tokens.revokeByGrantId('grant-d');
      expect(await tokens.find('t2')).toBeUndefined();
    });

    test(`a grant refreshed ${ROTATIONS} times: every earlier refresh token is spent, the current one is live, and the store holds no more than after 10 refreshes`, async () => {
      const refreshTokens = adapters('RefreshToken') as GrantMemberAdapter;
      const accessTokens = adapters('AccessToken') as GrantMemberAdapter;
      await adapters('Grant').upsert('grant-long', { jti: 'grant-long', accountId: 'account-1', clientId: 'client-1' });
      // What one refresh stores and spends (spent-tokens.ts): a new refresh and access token, then
      // the old refresh token spent and the grant's earlier access tokens destroyed, together.
      const refresh = async (rotation: number) => {
        await Promise.all([
          refreshTokens.upsert(`rt-${rotation}`, token('grant-long', { rotations: rotation, scope: 'openid offline_access' }), 30 * 86_400),
          accessTokens.upsert(`at-${rotation}`, token('grant-long'), 900),
        ]);
        if (rotation > 0) await Promise.all([refreshTokens.spendRotated('grant-long', `rt-${rotation - 1}`, rotation - 1), accessTokens.destroyAllOfGrant('grant-long', `at-${rotation}`)]);
      };
      for (let rotation = 0; rotation <= 10; rotation += 1) await refresh(rotation);
      const early = await harness.footprint();
      for (let rotation = 11; rotation <= ROTATIONS; rotation += 1) await refresh(rotation);
      const late = await harness.footprint();
      expect(late.keys).toBe(early.keys);
      // The same entries; only the numbers in them grew a digit or two.
      expect(late.bytes).toBeLessThanOrEqual(early.bytes * 1.1);

      const spent = await Promise.all(Array.from({ length: ROTATIONS }, (_, rotation) => refreshTokens.findSpent('grant-long', rotation)));
      expect(spent.filter((found) => found?.consumed === undefined || found.grantId !== 'grant-long')).toEqual([]);
      expect(spent[0]).toMatchObject({ accountId: 'account-1', clientId: 'client-1', scope: 'openid offline_access' });
      expect(await refreshTokens.findSpent('grant-long', ROTATIONS)).toBeUndefined();
      expect(await refreshTokens.find(`rt-${ROTATIONS}`)).toMatchObject({ grantId: 'grant-long', rotations: ROTATIONS });
      expect(await refreshTokens.find(`rt-${ROTATIONS - 1}`)).toBeUndefined();
      expect(await accessTokens.find(`at-${ROTATIONS - 1}`)).toBeUndefined();
      // A second spend of any earlier one is a lost race (a leak), not a token gone.
      for (const rotation of [0, 1, 1_500, ROTATIONS - 1]) {
        expect(await rejectionOf(refreshTokens.spendRotated('grant-long', `rt-${rotation}`, rotation))).toBeInstanceOf(AlreadyConsumedError);
      }
    });

    test('spending a rotated token: a later rotation missing is gone, not spent; revoking the grant forgets what it spent', async () => {
      const refreshTokens = adapters('RefreshToken') as GrantMemberAdapter;
      await refreshTokens.upsert('rt-a', token('grant-sp', { rotations: 3 }), 60);
      await refreshTokens.spendRotated('grant-sp', 'rt-a', 3);
      expect(await refreshTokens.find('rt-a')).toBeUndefined();
      // Rotation 4 was issued and then destroyed (say at the revocation endpoint): gone, no leak.
      expect(await rejectionOf(refreshTokens.spendRotated('grant-sp', 'rt-b', 4))).toBeInstanceOf(EntryGoneError);
      expect(await refreshTokens.findSpent('grant-sp', 4)).toBeUndefined();
      expect(await refreshTokens.findSpent('grant-sp', 2)).toMatchObject({ grantId: 'grant-sp' });
      await refreshTokens.revokeByGrantId('grant-sp');
      expect(await refreshTokens.findSpent('grant-sp', 3)).toBeUndefined();
      expect(await rejectionOf(refreshTokens.spendRotated('grant-sp', 'rt-a', 3))).toBeInstanceOf(EntryGoneError);
    });

    test('findByUid finds a Session until it is destroyed', async () => {
      const sessions = adapters('Session');
      const session = { jti: 'sess-1', uid: 'uid-1', accountId: 'account-1', exp: 100 };
      await sessions.upsert('sess-1', session, 60);
      expect(await sessions.findByUid('uid-1')).toEqual(session);
      expect(await sessions.findByUid('uid-unknown')).toBeUndefined();
      await sessions.destroy('sess-1');
      expect(await sessions.findByUid('uid-1')).toBeUndefined();
    });

    test('findByUserCode follows a DeviceCode through approval and grant revocation', async () => {
      const deviceCodes = adapters('DeviceCode');
      await deviceCodes.upsert('dc', { jti: 'dc', clientId: 'client-1', userCode: 'ABCD-EFGH' }, 60);
      expect(await deviceCodes.findByUserCode('ABCD-EFGH')).toMatchObject({ jti: 'dc' });
      await deviceCodes.upsert('dc', { jti: 'dc', clientId: 'client-1', userCode: 'ABCD-EFGH', grantId: 'grant-dc' }, 60);
      expect(await deviceCodes.findByUserCode('ABCD-EFGH')).toMatchObject({ grantId: 'grant-dc' });
      expect(await deviceCodes.find('dc')).toMatchObject({ grantId: 'grant-dc' });
      await deviceCodes.revokeByGrantId('grant-dc');
      expect(await deviceCodes.find('dc')).toBeUndefined();
      expect(await deviceCodes.findByUserCode('ABCD-EFGH')).toBeUndefined();
    });

    test('entries without expiresIn (Grant, dynamic Client) are kept', async () => {
      await adapters('Client').upsert('client-x', { client_id: 'client-x', redirect_uris: ['https://rp.example/cb'] });
      expect(await adapters('Client').find('client-x')).toMatchObject({ client_id: 'client-x' });
    });
  });
}
