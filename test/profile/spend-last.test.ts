import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import * as client from 'openid-client';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { adapterBackends, type AdapterUnderTest } from '../support/adapter-backends.js';
import { completeLogin } from '../../src/demo-rp/rp-client.js';
import { loginAtProvider, signIn } from './support/profile-login.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

/**
 * What may happen, once, just before the next AccessToken is stored: the token request has then
 * already asked oidc-provider to consume the code or refresh token (spent-tokens.ts moves that
 * spend to the end of the request).
 */
type BeforeAccessTokenSave = () => Promise<void>;

/** The backend's adapters, with a hook on AccessToken.upsert. */
function hookedAdapter(base: AdapterFactory, hook: { next?: BeforeAccessTokenSave }): AdapterFactory {
  return (name: string): Adapter => {
    const inner = base(name);
    if (name !== 'AccessToken') return inner;
    return new Proxy(inner, {
      get(target, property) {
        // Bound to the adapter itself: its methods use private fields.
        const value = Reflect.get(target, property) as unknown;
        if (property !== 'upsert') return typeof value === 'function' ? value.bind(target) : value;
        return async (id: string, payload: AdapterPayload, expiresIn: number) => {
          const once = hook.next;
          hook.next = undefined;
          if (once) await once();
          return target.upsert(id, payload, expiresIn);
        };
      },
    });
  };
}

describe.each(adapterBackends)('a code or refresh token is spent only when the token request succeeds (%s storage)', (_label, open) => {
  let storage: AdapterUnderTest;
  let stack: ProfileStack;
  const hook: { next?: BeforeAccessTokenSave } = {};
  beforeAll(async () => {
    storage = await open();
    stack = await startProfileStack({ adapter: hookedAdapter(storage.adapter, hook) });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
  });

  const offline = () => signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  const userinfoStatus = async (accessToken: string) => (await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
  const grantOf = async (refreshToken: string) => (await stack.provider.RefreshToken.find(refreshToken))!.grantId!;

  test('storage failing after the refresh token was "consumed" leaves it unspent: the retry succeeds and the grant lives', async () => {
    const { tokens } = await offline();
    const grantId = await grantOf(tokens.refresh_token!);
    hook.next = async () => {
      throw new StorageUnavailableError(new Error('connection lost'));
    };
    // No storage guard in this stack: the outage is a plain 500 (the provider app answers 503).
    await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ cause: { status: 500 } });
    expect((await stack.provider.RefreshToken.find(tokens.refresh_token!))?.consumed).toBeUndefined();

    const retried = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
    expect(await userinfoStatus(retried.access_token)).toBe(200);
    expect(await stack.provider.Grant.find(grantId)).toBeDefined();
    // Spent now, by the request that succeeded: replaying it is still detected.
    await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await stack.provider.Grant.find(grantId)).toBeUndefined();
  });

  test('storage failing after the code was "consumed" leaves it unspent: the RP can redeem it again', async () => {
    const login = await loginAtProvider(stack, stack.rp);
    const redeem = () => completeLogin(stack.rp.config, new URL(login.callback.url), login.pending);
    hook.next = async () => {
      throw new StorageUnavailableError(new Error('connection lost'));
    };
    await expect(redeem()).rejects.toMatchObject({ cause: { status: 500 } });
    // The same code again: had it been spent, the library would see a replay and revoke the grant.
    const { tokens } = await redeem();
    expect(await userinfoStatus(tokens.access_token)).toBe(200);
  });

  test('two refreshes racing with one token: exactly one succeeds, and the leak revokes the grant', async () => {
    const { tokens } = await offline();
    const grantId = await grantOf(tokens.refresh_token!);
    const outcomes = await Promise.allSettled([1, 2].map(() => client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toMatchObject([{ error: 'invalid_grant' }]);
    expect(await stack.provider.Grant.find(grantId)).toBeUndefined();
    const winner = outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<client.TokenEndpointResponse>;
    expect(await userinfoStatus(winner.value.access_token)).toBe(401);
  });

  test('a refresh token revoked during the refresh: invalid_grant, nothing it issued survives, the grant is not revoked for it', async () => {
    const first = await offline();
    const second = await client.refreshTokenGrant(stack.rp.config, first.tokens.refresh_token!);
    const grantId = await grantOf(second.refresh_token!);
    const saved: Array<{ model: 'AccessToken' | 'RefreshToken'; jti: string }> = [];
    const onAccessToken = (token: { jti: string }) => saved.push({ model: 'AccessToken', jti: token.jti });
    const onRefreshToken = (token: { jti: string }) => saved.push({ model: 'RefreshToken', jti: token.jti });
    stack.provider.on('access_token.saved', onAccessToken);
    stack.provider.on('refresh_token.saved', onRefreshToken);
    // As if the revocation endpoint destroyed just this refresh token meanwhile.
    hook.next = async () => {
      await (await stack.provider.RefreshToken.find(second.refresh_token!))!.destroy();
    };
    const refused = await client.refreshTokenGrant(stack.rp.config, second.refresh_token!).catch((error: unknown) => error);
    stack.provider.off('access_token.saved', onAccessToken);
    stack.provider.off('refresh_token.saved', onRefreshToken);

    expect(refused).toMatchObject({ error: 'invalid_grant' });
    expect(await stack.provider.Grant.find(grantId)).toBeDefined();
    expect(saved.map(({ model }) => model).sort()).toEqual(['AccessToken', 'RefreshToken']);
    for (const { model, jti } of saved) expect(await stack.provider[model].adapter.find(jti)).toBeUndefined();
  });
});
