import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { bindingKey } from './binding-key.js';
import { BrowserOwnership, ownerDigest } from './browser-ownership.js';
import type { SignInBinding } from './sign-in-binding.js';

/** What every ceremony record carries: the waiter's binding (as `bindingKey` writes it) and the browser's secret, hashed. */
interface Stored<T> {
  boundTo: string;
  secretHash: string;
  record: T;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * A sign-in ceremony of a method with pages of its own (password, passkey, the app's QR): a single-use
 * record in the StateStore, keyed by a random id in the page's URL and owned by the browser that
 * started it (BrowserOwnership: a secret cookie scoped to `/sign-in/<kind>`). The waiter's own cookie
 * is asked again at its completion path.
 */
export class BrowserCeremonies<T extends object> {
  readonly #owner: BrowserOwnership;

  constructor(
    private readonly store: KeyValueStore,
    /** `password`, `passkey`, `app`: the key prefix, the cookie's name and path (`/sign-in/<kind>`). */
    private readonly kind: string,
    private readonly ttlSeconds: number,
  ) {
    this.#owner = new BrowserOwnership(kind, `/sign-in/${kind}`);
  }

  get basePath(): string {
    return this.#owner.path;
  }

  async open(ctx: Context, binding: SignInBinding, record: T): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    await this.store.putIfAbsent(this.#key(id), { boundTo: bindingKey(binding), secretHash: ownerDigest(secret), record }, this.ttlSeconds);
    this.#owner.claim(ctx, id, secret, this.ttlSeconds);
    return id;
  }

  /** The ceremony, when this browser owns it; nothing is spent. */
  async peek(ctx: Context, id: string): Promise<{ boundTo: string; record: T } | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const stored = await this.store.get<Stored<T>>(this.#key(id));
    return stored && this.#owner.owns(ctx, id, stored.secretHash) ? { boundTo: stored.boundTo, record: stored.record } : undefined;
  }

  /** Ends the ceremony (single use): only one of two concurrent posts gets it. */
  async take(ctx: Context, id: string): Promise<{ boundTo: string; record: T } | undefined> {
    if (!(await this.peek(ctx, id))) return undefined;
    const stored = await this.store.take<Stored<T>>(this.#key(id));
    return stored && this.#owner.owns(ctx, id, stored.secretHash) ? { boundTo: stored.boundTo, record: stored.record } : undefined;
  }

  /** The next step of one ceremony (the same id and cookie): the old record is taken, so a step is never replayed. */
  async advance(ctx: Context, id: string, record: T): Promise<boolean> {
    const taken = await this.take(ctx, id);
    if (!taken) return false;
    const stored: Stored<T> = { boundTo: taken.boundTo, secretHash: ownerDigest(this.#owner.secretOf(ctx, id) ?? ''), record };
    return this.store.putIfAbsent(this.#key(id), stored, this.ttlSeconds);
  }

  #key(id: string): string {
    return `${this.kind}-ceremony:${id}`;
  }
}
