import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The demo RP's federation key: it signs the RP's entity configuration and nothing else. Separate
 * from its OIDC keys (rp-keys.ts) as the profile asks, so either can be rotated alone.
 */
export interface RelyingPartyFederationKeys {
  /** Private key with `kid` and `alg`, in the shape federation signing takes. */
  signing: { kid: string; alg: string; jwk: JWK };
  publicJwks: { keys: (JWK & { kid: string })[] };
}

const ALG = 'RS256';

/** Created once in `path` (never committed) and reused afterwards. */
export async function loadRelyingPartyFederationKeys(path: string): Promise<RelyingPartyFederationKeys> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
    const exported = await exportJWK(privateKey);
    jwk = { ...exported, kid: await calculateJwkThumbprint(exported), alg: ALG, use: 'sig' };
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(jwk, null, 2), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey } = jwk;
  return { signing: { kid: jwk.kid!, alg: ALG, jwk }, publicJwks: { keys: [{ ...publicKey, kid: jwk.kid! }] } };
}
