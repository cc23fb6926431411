import { createHash, randomBytes } from 'node:crypto';
import type { ChallengeStore } from '../cie/challenge-store.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { bindingKey } from './binding-key.js';
import type { SignInBinding } from './sign-in-binding.js';
import type { SignInOutcome } from './sign-in-outcome.js';

export const TICKET_TTL_SECONDS = 120;

/** A ticket's record: the outcome, the binding it is for, and a cancelled challenge to end on redemption. */
interface TicketRecord {
  boundTo: string;
  outcome: SignInOutcome;
  endsChallenge?: string;
}

/**
 * One-time tickets that carry a sign-in's outcome from the method's cookie-less step (the card's
 * assertion POST) to the waiter's completion step, which requires the waiter's cookie. Only the
 * browser that posted the assertion learns the ticket, so a sign-in cannot be finished in another
 * browser, nor a ticket of one binding be redeemed for another.
 */
export class CompletionTickets {
  constructor(
    private readonly store: KeyValueStore,
    private readonly challenges: Pick<ChallengeStore, 'consume'>,
  ) {}

  /** `endsChallenge`: a cancel at the bridge, whose challenge ends only when the waiting browser redeems the ticket. */
  async issue(binding: SignInBinding, outcome: SignInOutcome, options: { endsChallenge?: string } = {}): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const record: TicketRecord = { boundTo: bindingKey(binding), outcome, ...(options.endsChallenge ? { endsChallenge: options.endsChallenge } : {}) };
    await this.store.putIfAbsent(ticketKey(ticket, record.boundTo), record, TICKET_TTL_SECONDS);
    return ticket;
  }

  /**
   * The binding is part of the key, so it is compared before anything is consumed: a ticket tried
   * with another binding is not found and stays redeemable by its own (one atomic take, no read first).
   * A cancel ends its challenge here, in the step that proved it is the waiting browser (its cookie):
   * someone who merely knows the challenge cannot.
   */
  async redeem(ticket: string, binding: SignInBinding): Promise<SignInOutcome | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
    const boundTo = bindingKey(binding);
    const record = await this.store.take<TicketRecord>(ticketKey(ticket, boundTo));
    if (record?.boundTo !== boundTo) return undefined;
    if (record.endsChallenge) await this.challenges.consume(record.endsChallenge);
    return record.outcome;
  }
}

/** A fixed-length key whatever the binding's length. */
function ticketKey(ticket: string, boundTo: string): string {
  return `ticket:${createHash('sha256').update(boundTo).digest('base64url')}:${ticket}`;
}
