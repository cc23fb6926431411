import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { ConfigError } from '../../src/config/config.js';
import { accountIdFor } from '../../src/oidc/accounts.js';
import { pairwiseSubject } from '../../src/oidc/pairwise.js';
import { loadProviderKeys, PAIRWISE_SECRET_FILE, type ProviderKeys } from '../../src/oidc/provider-keys.js';
import { signIn } from './support/profile-login.js';
import { CITIZEN, startProfileStack } from './support/profile-stack.js';

// Issue 13 item 3: the pairwise `sub` has its own secret, so a routine cookie-key rotation changes no
// citizen's `sub` at any RP; a deployment from before that secret keeps the subjects it issued.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-pairwise-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const newSecret = () => randomBytes(32).toString('base64url');

/** A full login at a provider with these keys: the `sub` of the ID token, of userinfo and of the access-token JWT. */
async function subjectsSeenByRp(keys: ProviderKeys) {
  const stack = await startProfileStack({ keys });
  try {
    const { idToken, userinfo, tokens } = await signIn(stack, stack.rp);
    return { clientId: stack.rp.clientId, idToken: idToken.sub, userinfo: userinfo.sub, accessToken: decodeJwt(tokens.access_token).sub };
  } finally {
    await stack.close();
  }
}

const sameEverywhere = (sub: string) => ({ idToken: sub, userinfo: sub, accessToken: sub });

test('rotating the cookie keys (old ones all dropped) changes no sub: ID token, userinfo and access-token JWT', async () => {
  const before = await subjectsSeenByRp(await loadProviderKeys(dir, true));
  expect(before).toMatchObject(sameEverywhere(before.idToken));
  expect(before.idToken).not.toContain(CITIZEN.fiscalCode);

  await writeFile(join(dir, 'cookie-keys.json'), JSON.stringify([newSecret(), newSecret()]));
  const rotated = await loadProviderKeys(dir, false);
  const after = await subjectsSeenByRp(rotated);
  expect(after).toEqual(before);
});

test('a KEYS_DIR from before the pairwise secret keeps its subjects: the generated secret is its last cookie key', async () => {
  await loadProviderKeys(dir, true);
  await rm(join(dir, PAIRWISE_SECRET_FILE)); // the KEYS_DIR as the older version left it: jwks.json and cookie-keys.json
  const lastCookieKey = [newSecret(), newSecret()];
  await writeFile(join(dir, 'cookie-keys.json'), JSON.stringify(lastCookieKey));
  // What the older version gave this citizen at this RP: the pairwise HMAC keyed by the last cookie key.
  const oldSub = (clientId: string) => pairwiseSubject(lastCookieKey[1]!, accountIdFor(CITIZEN.fiscalCode), clientId);

  const upgraded = await loadProviderKeys(dir, true);
  expect(upgraded.pairwiseSecret).toBe(lastCookieKey[1]);
  expect(JSON.parse(await readFile(join(dir, PAIRWISE_SECRET_FILE), 'utf8'))).toBe(lastCookieKey[1]);
  const seen = await subjectsSeenByRp(upgraded);
  expect(seen).toMatchObject(sameEverywhere(oldSub(seen.clientId)));

  // Then the cookie keys rotate as usual: the subjects stay.
  await writeFile(join(dir, 'cookie-keys.json'), JSON.stringify([newSecret()]));
  expect(await subjectsSeenByRp(await loadProviderKeys(dir, false))).toEqual(seen);
});

test('production (GENERATE_KEYS=false) without the secret refuses to start, and PAIRWISE_SECRET set to the old last cookie key gives the old subs', async () => {
  await loadProviderKeys(dir, true);
  await rm(join(dir, PAIRWISE_SECRET_FILE));
  const cookieKeys = JSON.parse(await readFile(join(dir, 'cookie-keys.json'), 'utf8')) as string[];
  const error = await loadProviderKeys(dir, false).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(/PAIRWISE_SECRET/);

  const fromEnvironment = cookieKeys[cookieKeys.length - 1]!;
  const keys = await loadProviderKeys(dir, false, { fromEnvironment });
  expect(keys.pairwiseSecret).toBe(fromEnvironment);
  const seen = await subjectsSeenByRp(keys);
  expect(seen).toMatchObject(sameEverywhere(pairwiseSubject(fromEnvironment, accountIdFor(CITIZEN.fiscalCode), seen.clientId)));
});

test('a new KEYS_DIR gets a random pairwise secret of its own; a short one is refused', async () => {
  const keys = await loadProviderKeys(dir, true);
  expect(keys.pairwiseSecret).not.toBe(keys.cookieKeys[keys.cookieKeys.length - 1]);
  expect(keys.pairwiseSecret.length).toBeGreaterThanOrEqual(32);
  await expect(loadProviderKeys(dir, false, { fromEnvironment: 'too short' })).rejects.toThrow(/PAIRWISE_SECRET/);
  await writeFile(join(dir, PAIRWISE_SECRET_FILE), JSON.stringify('short'));
  await expect(loadProviderKeys(dir, false)).rejects.toThrow(ConfigError);
});
