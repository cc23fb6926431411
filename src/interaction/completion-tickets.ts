import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../cie/challenge-store.js';

/** What the browser comes back with after posting the assertion: a login or a typed failure. */
export type CompletionOutcome =
  | { kind: 'login'; interactionUid: string; fiscalCode: string; claims: Record<string, unknown> }
  | { kind: 'failure'; interactionUid: string; code: string };

const TICKET_TTL_SECONDS = 120;

/**
 * One-time tickets that carry a verified (or failed) card login from the cookie-less assertion
 * POST to the interaction completion, which requires the interaction cookie. Only the browser
 * that posted the assertion learns the ticket, so a login cannot be finished in another browser.
 */
export class CompletionTickets {
  constructor(private readonly store: KeyValueStore) {}

  async issue(outcome: CompletionOutcome): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    await this.store.putIfAbsent(`ticket:${ticket}`, outcome, TICKET_TTL_SECONDS);
    return ticket;
  }

  async redeem(ticket: string, interactionUid: string): Promise<CompletionOutcome | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
    const outcome = await this.store.take<CompletionOutcome>(`ticket:${ticket}`);
    return outcome?.interactionUid === interactionUid ? outcome : undefined;
  }
}
