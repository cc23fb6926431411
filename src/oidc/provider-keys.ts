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
  /**
   * Secret of the pairwise `sub` (pairwise.ts). Never rotated: changing it gives every citizen a new
   * `sub` at every RP. Its own secret, so that rotating the cookie keys changes no subject.
   */
  pairwiseSecret: string;
}

/** Where the pairwise secret comes from besides KEYS_DIR: the PAIRWISE_SECRET setting, '' when unset. */
export interface PairwiseSecretSource {
  fromEnvironment: string;
}

const MIN_SECRET_LENGTH = 32;
export const PAIRWISE_SECRET_FILE = 'pairwise-secret.json';

/** A JSON key file, or undefined when it does not exist (any other read or parse error is invalid_config). */
export async function readJson(path: string): Promise<unknown | undefined> {
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
export async function generateSigningKey(alg: 'RS256' | 'ES256' | 'ES512'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  // kid = RFC 7638 thumbprint, as the CIE profile expects of every key.
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use: 'sig', ...(alg === 'RS256' ? {} : { alg }) };
}

export function assertJwks(value: unknown, path: string): asserts value is { keys: JWK[] } {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k && 'kid' in k && 'd' in k)) {
    throw new ConfigError('invalid_config', `${path} must be a private JWKS whose keys all have a kid`);
  }
}

function isSecret(value: unknown): value is string {
  return typeof value === 'string' && value.length >= MIN_SECRET_LENGTH;
}

function assertSecret(value: unknown, what: string): asserts value is string {
  if (!isSecret(value)) {
    throw new ConfigError('invalid_config', `${what} must be a secret of at least ${MIN_SECRET_LENGTH} characters`);
  }
}

/**
 * The pairwise secret: PAIRWISE_SECRET when set, else `pairwise-secret.json` (a JSON string) in `dir`.
 * Subjects were once derived from the last cookie key: a KEYS_DIR that already has cookie keys but
 * no pairwise secret is such a deployment, so the generated secret is that key and every `sub` stays
 * the same. A new KEYS_DIR gets a random one. Without GENERATE_KEYS a missing secret is an error,
 * never a silent change of every citizen's `sub` (docs/keys.md).
 */
async function loadPairwiseSecret(dir: string, generate: boolean, source: PairwiseSecretSource, previousCookieKeys: unknown): Promise<string> {
  if (source.fromEnvironment !== '') {
    assertSecret(source.fromEnvironment, 'PAIRWISE_SECRET');
    return source.fromEnvironment;
  }
  const path = join(dir, PAIRWISE_SECRET_FILE);
  let secret = await readJson(path);
  if (secret === undefined) {
    if (!generate) {
      throw new ConfigError(
        'invalid_config',
        `missing ${path} and PAIRWISE_SECRET (GENERATE_KEYS=false); to keep the subjects an existing deployment issued, use its last cookie key: jq '.[-1]' cookie-keys.json > ${PAIRWISE_SECRET_FILE}`,
      );
    }
    const lastCookieKey = Array.isArray(previousCookieKeys) ? previousCookieKeys[previousCookieKeys.length - 1] : undefined;
    secret = typeof lastCookieKey === 'string' ? lastCookieKey : randomBytes(32).toString('base64url');
    await writeFile(path, JSON.stringify(secret), { mode: 0o600 });
  }
  assertSecret(secret, path);
  return secret;
}

/**
 * Loads the provider's signing keys, cookie keys and pairwise secret from `dir` (the secret may come
 * from the environment instead). Missing files are generated only when `generate` is true (demo); in
 * production a missing key is a configuration error.
 */
export async function loadProviderKeys(dir: string, generate: boolean, pairwise: PairwiseSecretSource = { fromEnvironment: '' }): Promise<ProviderKeys> {
  const jwksPath = join(dir, 'jwks.json');
  const cookiePath = join(dir, 'cookie-keys.json');
  let jwks = await readJson(jwksPath);
  let cookieKeys = await readJson(cookiePath);
  const previousCookieKeys = cookieKeys;
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
  if (!Array.isArray(cookieKeys) || cookieKeys.length === 0 || !cookieKeys.every(isSecret)) {
    throw new ConfigError('invalid_config', `${cookiePath} must be a JSON array of secrets (≥ ${MIN_SECRET_LENGTH} characters)`);
  }
  const pairwiseSecret = await loadPairwiseSecret(dir, generate, pairwise, previousCookieKeys);
  return { jwks, cookieKeys, pairwiseSecret };
}
