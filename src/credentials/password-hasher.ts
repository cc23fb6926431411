import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { normalizePassword } from './password-policy.js';

/**
 * scrypt cost: N = 2^logN, block size r, parallelism p. Memory per hash is 128·N·r bytes.
 * The default is OWASP's Password Storage Cheat Sheet floor for scrypt (N=2^17, r=8, p=1: 128 MiB);
 * measured on the 2-core development machine: about 0.7 s of CPU per hash (docs/levels.md).
 */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on a cost read back from storage: a corrupted row must not make one verify take minutes or GiBs.
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  // Node refuses more than 32 MiB unless told: allow exactly what this cost needs, plus slack.
  const maxmem = 128 * N * cost.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(normalizePassword(password), salt, KEY_BYTES, { N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (base64url, no padding): the cost travels with the hash. */
function encode(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface Decoded {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function decode(stored: string): Decoded | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/.exec(stored);
  if (!match) return undefined;
  const cost = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (cost.logN < 1 || cost.logN > MAX_LOG_N || cost.r < 1 || cost.r > MAX_R || cost.p < 1 || cost.p > MAX_P) return undefined;
  return { cost, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

export interface PasswordCheck {
  valid: boolean;
  /** The hash was made with another cost than today's: store `hash(password)` now that it is known. */
  needsRehash: boolean;
}

/**
 * Hashes and verifies passwords with scrypt (Node's own, memory-hard, no native dependency).
 * Verification compares in constant time; an unknown user is answered after the same work
 * (`verifyAgainstNothing`), so neither the answer nor its time tells whether the user exists.
 */
export class PasswordHasher {
  #dummy: Promise<string> | undefined;

  constructor(readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    return encode(this.cost, salt, await derive(password, salt, this.cost));
  }

  async verify(password: string, stored: string): Promise<PasswordCheck> {
    const decoded = decode(stored);
    if (!decoded) {
      await this.verifyAgainstNothing(password);
      return { valid: false, needsRehash: false };
    }
    const key = await derive(password, decoded.salt, decoded.cost);
    const valid = key.length === decoded.key.length && timingSafeEqual(key, decoded.key);
    return { valid, needsRehash: valid && !sameCost(decoded.cost, this.cost) };
  }

  /** The same work as a real verification, against a hash nobody's password matches. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash(randomBytes(24).toString('base64url'));
    const decoded = decode(await this.#dummy)!;
    const key = await derive(password, decoded.salt, decoded.cost);
    timingSafeEqual(key, decoded.key);
    return false;
  }
}

function sameCost(a: ScryptCost, b: ScryptCost): boolean {
  return a.logN === b.logN && a.r === b.r && a.p === b.p;
}
