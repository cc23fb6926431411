import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

/**
 * The secret cookie that makes one browser the owner of a sign-in record (a smartphone session, a
 * password, passkey or app ceremony). One cookie per record (a citizen may have two tabs), named
 * `<prefix>_<first 16 characters of the id>`, scoped to the method's paths, HttpOnly, SameSite=Lax (a
 * top-level navigation, such as the app's hand-back link, carries it). The store keeps only the
 * secret's digest: a URL copied to another browser finds the record but not its cookie.
 */
export class BrowserOwnership {
  constructor(
    /** The cookie name's prefix (`phone`, `password`, …). */
    private readonly prefix: string,
    /** The cookie's path: the method's own pages. */
    readonly path: string,
  ) {}

  cookieName(id: string): string {
    return `${this.prefix}_${id.slice(0, 16)}`;
  }

  /** Gives this browser the record's secret. */
  claim(ctx: Context, id: string, secret: string, maxAgeSeconds: number): void {
    ctx.cookies.set(this.cookieName(id), secret, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: this.path, maxAge: maxAgeSeconds * 1000, overwrite: true });
  }

  /** The secret this browser sent for the record, if any. */
  secretOf(ctx: Context, id: string): string | undefined {
    return ctx.cookies.get(this.cookieName(id));
  }

  /** Whether this browser's secret matches the stored digest (`ownerDigest`), in constant time. */
  owns(ctx: Context, id: string, storedDigest: string): boolean {
    const given = Buffer.from(ownerDigest(this.secretOf(ctx, id) ?? ''));
    const expected = Buffer.from(storedDigest);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** What a record stores in place of the browser's secret. */
export function ownerDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
