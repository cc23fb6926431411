import * as client from 'openid-client';
import { adapterBackends, type AdapterUnderTest } from '../support/adapter-backends.js';
import { loginAtProvider, signIn } from './support/profile-login.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

describe.each(adapterBackends)('spent refresh tokens and codes (%s storage)', (_label, open) => {
  let storage: AdapterUnderTest;
  let stack: ProfileStack;
  beforeAll(async () => {
    storage = await open();
    stack = await startProfileStack({ adapter: storage.adapter });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
  });

  async function userinfoStatus(accessToken: string): Promise<number> {
    return (await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
  }

  test('a refresh spends the refresh token; replaying it later still revokes the grant', async () => {
    const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
    const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    expect(await userinfoStatus(refreshed.access_token)).toBe(200);
    await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await userinfoStatus(refreshed.access_token)).toBe(401);
    await expect(client.refreshTokenGrant(stack.rp.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a grant refreshed 150 times keeps what it kept after 10; replaying any earlier refresh token still revokes it', async () => {
    const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
    const chain = [tokens.refresh_token!];
    let latest: client.TokenEndpointResponse = tokens;
    const refreshTo = async (count: number) => {
      while (chain.length <= count) {
        latest = await client.refreshTokenGrant(stack.rp.config, chain.at(-1)!);
        chain.push(latest.refresh_token!);
      }
    };
    // Client assertion ids are kept until they expire, one per request whatever the grant: not counted.
    await refreshTo(10);
    const early = await storage.footprint('ReplayDetection');
    await refreshTo(150);
    const late = await storage.footprint('ReplayDetection');
    expect(late.keys).toBe(early.keys);
    expect(late.bytes).toBeLessThanOrEqual(early.bytes * 1.1);
    const grantId = (await stack.provider.RefreshToken.find(chain.at(-1)!))!.grantId!;
    // The replayed token's own entry is long gone; its grant still recognises it.
    expect(await stack.provider.RefreshToken.find(chain[37]!)).toMatchObject({ grantId, consumed: expect.any(Number) });
    expect((await client.tokenIntrospection(stack.rp.config, chain[37]!)).active).toBe(false);
    await expect(client.refreshTokenGrant(stack.rp.config, chain[37]!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await stack.provider.Grant.find(grantId)).toBeUndefined();
    expect(await userinfoStatus(latest.access_token)).toBe(401);
    await expect(client.refreshTokenGrant(stack.rp.config, chain.at(-1)!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('the loser of two concurrent consumes of one refresh token revokes the grant', async () => {
    const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
    // Both parties have looked the token up (unconsumed) before either spends it.
    const first = (await stack.provider.RefreshToken.find(tokens.refresh_token!))!;
    const second = (await stack.provider.RefreshToken.find(tokens.refresh_token!))!;
    await first.consume();
    await expect(second.consume()).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await stack.provider.Grant.find(first.grantId!)).toBeUndefined();
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
  });

  test('the loser of two concurrent redemptions of one code revokes the grant', async () => {
    const login = await loginAtProvider(stack, stack.rp);
    const code = new URL(login.callback.url).searchParams.get('code')!;
    const first = (await stack.provider.AuthorizationCode.find(code))!;
    const second = (await stack.provider.AuthorizationCode.find(code))!;
    await first.consume();
    await expect(second.consume()).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await stack.provider.Grant.find(first.grantId!)).toBeUndefined();
  });
});
