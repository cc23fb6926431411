import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import { bindingKey } from '../binding-key.js';
import type { SignInBinding } from '../sign-in-binding.js';

/** What every ceremony record carries: the waiter's binding (as `bindingKey` writes it) and the browser's secret, hashed. */
interface Stored<T> {
  boundTo: string;
  secretHash: string;
  record: T;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * A sign-in ceremony of a method with pages of its own (password, passkey): a single-use record in
 * the StateStore, keyed by a random id in the page's URL and owned by the browser that started it
 * through a secret cookie scoped to the method's paths. A URL copied to another browser finds the
 * ceremony but not its cookie: refused. The waiter's own cookie is asked again at its completion path.
 */
export class BrowserCeremonies<T extends object> {
  constructor(
    private readonly store: KeyValueStore,
    /** `password` or `passkey`: the key prefix, the cookie's name and path (`/sign-in/<kind>`). */
    private readonly kind: string,
    private readonly ttlSeconds: number,
  ) {}

  get basePath(): string {
    return `/sign-in/${this.kind}`;
  }

  async open(ctx: Context, binding: SignInBinding, record: T): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    await this.store.putIfAbsent(this.#key(id), { boundTo: bindingKey(binding), secretHash: hash(secret), record }, this.ttlSeconds);
    ctx.cookies.set(this.#cookie(id), secret, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: this.basePath, maxAge: this.ttlSeconds * 1000, overwrite: true });
    return id;
  }

  /** The ceremony, when this browser owns it; nothing is spent. */
  async peek(ctx: Context, id: string): Promise<{ boundTo: string; record: T } | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const stored = await this.store.get<Stored<T>>(this.#key(id));
    return stored && this.#owns(ctx, id, stored) ? { boundTo: stored.boundTo, record: stored.record } : undefined;
  }

  /** Ends the ceremony (single use): only one of two concurrent posts gets it. */
  async take(ctx: Context, id: string): Promise<{ boundTo: string; record: T } | undefined> {
    if (!(await this.peek(ctx, id))) return undefined;
    const stored = await this.store.take<Stored<T>>(this.#key(id));
    return stored && this.#owns(ctx, id, stored) ? { boundTo: stored.boundTo, record: stored.record } : undefined;
  }

  /** The next step of one ceremony (the same id and cookie): the old record is taken, so a step is never replayed. */
  async advance(ctx: Context, id: string, record: T): Promise<boolean> {
    const taken = await this.take(ctx, id);
    if (!taken) return false;
    const stored: Stored<T> = { boundTo: taken.boundTo, secretHash: hash(ctx.cookies.get(this.#cookie(id)) ?? ''), record };
    return this.store.putIfAbsent(this.#key(id), stored, this.ttlSeconds);
  }

  #owns(ctx: Context, id: string, stored: Stored<T>): boolean {
    const given = Buffer.from(hash(ctx.cookies.get(this.#cookie(id)) ?? ''));
    const expected = Buffer.from(stored.secretHash);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #key(id: string): string {
    return `${this.kind}-ceremony:${id}`;
  }

  #cookie(id: string): string {
    return `${this.kind}_${id.slice(0, 16)}`;
  }
}

function hash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
