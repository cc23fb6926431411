import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import * as client from 'openid-client';
import { loadProviderKeys, type ProviderKeys } from '../../src/oidc/provider-keys.js';
import { adapterBackends, type AdapterUnderTest } from '../support/adapter-backends.js';
import { loginAtProvider, signIn } from './support/profile-login.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

describe.each(adapterBackends)('spent refresh tokens and codes (%s storage)', (_label, open) => {
  let storage: AdapterUnderTest;
  let stack: ProfileStack;
  let keysDir: string;
  let keys: ProviderKeys;
  beforeAll(async () => {
    storage = await open();
    keysDir = await mkdtemp(join(tmpdir(), 'cie-spent-keys-'));
    keys = await loadProviderKeys(keysDir, true);
    stack = await startProfileStack({ adapter: storage.adapter, keys });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
    await rm(keysDir, { recursive: true, force: true });
  });

  /** The refresh token as a provider before issue 21 signed it: the same claims but `grant_id` and `rotation`. */
  async function withoutPlaceClaims(refreshToken: string): Promise<string> {
    const header = decodeProtectedHeader(refreshToken);
    const { grant_id: _grantId, rotation: _rotation, ...claims } = decodeJwt(refreshToken);
    const jwk = keys.jwks.keys.find((key) => key.kid === header.kid)!;
    const key = await importJWK(jwk, header.alg);
    return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader(header as { alg: string }).sign(key);
  }

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

  test('a refresh token issued without grant_id and rotation (before issue 21) is kept consumed once spent: replaying it revokes the grant', async () => {
    const { tokens } = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
    const issuedBefore = await withoutPlaceClaims(tokens.refresh_token!);
    expect(decodeJwt(issuedBefore)).not.toHaveProperty('grant_id');
    const refreshed = await client.refreshTokenGrant(stack.rp.config, issuedBefore);
    expect(await userinfoStatus(refreshed.access_token)).toBe(200);
    await expect(client.refreshTokenGrant(stack.rp.config, issuedBefore)).rejects.toMatchObject({ error: 'invalid_grant' });
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
