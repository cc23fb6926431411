import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs and checks koa's signed cookies (`name.sig`) exactly as the `keygrip` package does —
 * HMAC-SHA1 in base64url without padding, the first key signs, every key verifies — so cookies
 * issued before and after stay valid, and rotation works by prepending a key.
 *
 * Written here, not taken from keygrip, for one reason: keygrip compares through `tsscmp`, which
 * draws 32 random bytes and runs two more HMAC-SHA256 per check. oidc-provider checks several
 * cookies on every browser request, and that comparison alone was ~3 % of a login's provider CPU
 * (docs/benchmarks.md, session 4). `timingSafeEqual` on the decoded digests is constant-time too.
 */
export class CookieSigner {
  readonly #keys: readonly string[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('CookieSigner needs at least one key');
    this.#keys = keys;
  }

  sign(data: string): string {
    return digest(data, this.#keys[0]!).toString('base64url');
  }

  /** The position of the key that made `signature`, or -1. */
  index(data: string, signature: string): number {
    const given = Buffer.from(signature, 'base64url');
    // base64url decoding skips characters it does not know; only the canonical text is accepted.
    if (given.length !== SHA1_BYTES || given.toString('base64url') !== signature) return -1;
    return this.#keys.findIndex((key) => timingSafeEqual(given, digest(data, key)));
  }

  verify(data: string, signature: string): boolean {
    return this.index(data, signature) !== -1;
  }
}

const SHA1_BYTES = 20;

const digest = (data: string, key: string) => createHmac('sha1', key).update(data).digest();
