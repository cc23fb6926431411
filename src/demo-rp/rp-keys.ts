import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RelyingPartyKeys {
  signing: { key: CryptoKey; kid: string };
  encryption: { key: CryptoKey; kid: string };
  /** Public JWKS registered at the provider (signature + encryption keys). */
  publicJwks: { keys: JWK[] };
}

async function newKey(use: 'sig' | 'enc'): Promise<JWK> {
  const alg = use === 'sig' ? 'RS256' : 'RSA-OAEP';
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use, alg };
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

/** The demo RP's own keys, created once in `path` (never committed) and reused afterwards. */
export async function loadRelyingPartyKeys(path: string): Promise<RelyingPartyKeys> {
  let jwks: { keys: JWK[] };
  try {
    jwks = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    jwks = { keys: [await newKey('sig'), await newKey('enc')] };
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  }
  const [sig, enc] = [jwks.keys.find((k) => k.use === 'sig')!, jwks.keys.find((k) => k.use === 'enc')!];
  return {
    signing: { key: (await importJWK(sig, 'RS256')) as CryptoKey, kid: sig.kid! },
    encryption: { key: (await importJWK(enc, 'RSA-OAEP')) as CryptoKey, kid: enc.kid! },
    publicJwks: { keys: [publicPart(sig), publicPart(enc)] },
  };
}
