import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError } from '../config/config.js';

export interface ProviderKeys {
  /** Private JWKS for oidc-provider (signing keys, each with a unique `kid`). */
  jwks: { keys: JWK[] };
  /** Keygrip keys for signed cookies; the first signs, all verify (rotation by prepending). */
  cookieKeys: string[];
}

async function readJson(path: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('invalid_config', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The RSA key carries no `alg` so it serves every RSA algorithm of the profile (RS256, RS512,
 * PS256, PS512); each EC curve serves exactly one (P-256 → ES256, P-521 → ES512).
 */
async function generateSigningKey(alg: 'RS256' | 'ES256' | 'ES512'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  // kid = RFC 7638 thumbprint, as the CIE profile expects of every key.
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use: 'sig', ...(alg === 'RS256' ? {} : { alg }) };
}

function assertJwks(value: unknown, path: string): asserts value is { keys: JWK[] } {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k && 'kid' in k && 'd' in k)) {
    throw new ConfigError('invalid_config', `${path} must be a private JWKS whose keys all have a kid`);
  }
}

/**
 * Loads the provider's signing keys and cookie keys from `dir`. Missing files are generated only
 * when `generate` is true (demo); in production a missing key is a configuration error.
 */
export async function loadProviderKeys(dir: string, generate: boolean): Promise<ProviderKeys> {
  const jwksPath = join(dir, 'jwks.json');
  const cookiePath = join(dir, 'cookie-keys.json');
  let jwks = await readJson(jwksPath);
  let cookieKeys = await readJson(cookiePath);
  if ((jwks === undefined || cookieKeys === undefined) && !generate) {
    throw new ConfigError('invalid_config', `missing ${jwks === undefined ? jwksPath : cookiePath} (GENERATE_KEYS=false)`);
  }
  if (jwks === undefined || cookieKeys === undefined) await mkdir(dir, { recursive: true, mode: 0o700 });
  if (jwks === undefined) {
    jwks = { keys: [await generateSigningKey('RS256'), await generateSigningKey('ES256'), await generateSigningKey('ES512')] };
    await writeFile(jwksPath, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  }
  if (cookieKeys === undefined) {
    cookieKeys = [randomBytes(32).toString('base64url')];
    await writeFile(cookiePath, JSON.stringify(cookieKeys), { mode: 0o600 });
  }
  assertJwks(jwks, jwksPath);
  if (!Array.isArray(cookieKeys) || cookieKeys.length === 0 || !cookieKeys.every((k) => typeof k === 'string' && k.length >= 32)) {
    throw new ConfigError('invalid_config', `${cookiePath} must be a JSON array of secrets (≥ 32 characters)`);
  }
  return { jwks, cookieKeys };
}
