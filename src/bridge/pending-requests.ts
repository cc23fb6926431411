import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Language } from '../shared/language.js';

export interface PendingRequest {
  id: string;
  /** Submitted with the PIN form: proves the form came from our own page. */
  formToken: string;
  origin: string;
  challenge: Uint8Array;
  language: Language;
  expiresAt: number;
}

const LIFETIME_MS = 5 * 60 * 1000;
/** Far more sign-ins than one citizen keeps open at once; a bound on memory, not a working limit. */
export const MAX_PENDING = 32;

/** Constant-time comparison: the form token must not be guessable byte by byte from response times. */
function sameToken(expected: string, given: string): boolean {
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Sign requests the citizen has opened but not finished. In memory: the bridge is one local process.
 *
 * Any web page can make the citizen's browser open `GET /login` (it cannot read the answer), so the
 * table must not let such requests push out a PIN page the citizen has open. A full table therefore
 * refuses new requests until one ends or expires; it never evicts. The same origin and challenge
 * opened again (a reload) is the same request, not a new one.
 */
export class PendingRequests {
  readonly #requests = new Map<string, PendingRequest>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The pending request for this origin and challenge, opened if need be; undefined when the table is full. */
  open(origin: string, challenge: Uint8Array, language: Language): PendingRequest | undefined {
    this.#prune();
    const reopened = [...this.#requests.values()].find((request) => request.origin === origin && Buffer.from(request.challenge).equals(challenge));
    if (reopened) return reopened;
    if (this.#requests.size >= MAX_PENDING) return undefined;
    const request: PendingRequest = {
      id: randomBytes(16).toString('base64url'),
      formToken: randomBytes(32).toString('base64url'),
      origin,
      challenge,
      language,
      expiresAt: this.now() + LIFETIME_MS,
    };
    this.#requests.set(request.id, request);
    return request;
  }

  find(id: string, formToken: string): PendingRequest | undefined {
    this.#prune();
    const request = this.#requests.get(id);
    return request && sameToken(request.formToken, formToken) ? request : undefined;
  }

  /**
   * The open request with this id, without its form token: enough for the card pages to offer "Torna al
   * servizio" and the way back to the PIN page, never to submit a PIN.
   */
  peek(id: string): PendingRequest | undefined {
    this.#prune();
    return this.#requests.get(id);
  }

  /** How many sign-ins are open now (expired ones are dropped first): the bridge's pending-sign-ins gauge. */
  get size(): number {
    this.#prune();
    return this.#requests.size;
  }

  close(id: string): void {
    this.#requests.delete(id);
  }

  #prune(): void {
    const now = this.now();
    for (const [id, request] of this.#requests) if (request.expiresAt <= now) this.#requests.delete(id);
  }
}
