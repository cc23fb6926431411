import { createHash, randomBytes } from 'node:crypto';
import type { ChallengeStore } from '../cie/challenge-store.js';
import type { KeyValueStore } from '../storage/key-value-store.js';

/**
 * What the browser comes back with after posting the assertion: a login or a typed failure.
 * `boundTo` is the binding of the challenge: an interaction uid, or `accountSignInBinding(…)`.
 */
export type CompletionOutcome =
  | { kind: 'login'; boundTo: string; fiscalCode: string; claims: Record<string, unknown>; certificateSerial?: string }
  | { kind: 'failure'; boundTo: string; code: string; cancelledChallenge?: string };

export const TICKET_TTL_SECONDS = 120;

// oidc-provider interaction uids are URL-safe base64 and never contain ':', so the two kinds of
// binding cannot be mistaken for each other.
const ACCOUNT_SIGN_IN = 'account-sign-in:';

/** The binding of a card sign-in to the account page (not to an OIDC interaction). */
export function accountSignInBinding(signInId: string): string {
  return `${ACCOUNT_SIGN_IN}${signInId}`;
}

/** Where the browser redeems the ticket: the completion step of whatever the challenge was bound to. */
export function completionPath(boundTo: string, ticket: string): string {
  if (boundTo.startsWith(ACCOUNT_SIGN_IN)) return `/account/cie/complete?ticket=${ticket}`;
  return `/interaction/${encodeURIComponent(boundTo)}/cie/complete?ticket=${ticket}`;
}

/**
 * One-time tickets that carry a verified (or failed) card login from the cookie-less assertion
 * POST to the completion step, which requires the interaction cookie (or the account page's
 * sign-in cookie). Only the browser that posted the assertion learns the ticket, so a login cannot
 * be finished in another browser, nor a ticket of one binding be redeemed for another.
 */
export class CompletionTickets {
  constructor(private readonly store: KeyValueStore) {}

  async issue(outcome: CompletionOutcome): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    await this.store.putIfAbsent(ticketKey(ticket, outcome.boundTo), outcome, TICKET_TTL_SECONDS);
    return ticket;
  }

  /**
   * The binding is part of the key, so it is compared before anything is consumed: a ticket tried
   * with another binding is not found and stays redeemable by its own (one atomic take, no read first).
   */
  async redeem(ticket: string, boundTo: string): Promise<CompletionOutcome | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
    const outcome = await this.store.take<CompletionOutcome>(ticketKey(ticket, boundTo));
    return outcome?.boundTo === boundTo ? outcome : undefined;
  }
}

/** A fixed-length key whatever the binding's length (an interaction uid, an account sign-in). */
function ticketKey(ticket: string, boundTo: string): string {
  return `ticket:${createHash('sha256').update(boundTo).digest('base64url')}:${ticket}`;
}

/**
 * A cancel at the bridge ends its challenge only here, in the completion step that proved it is the
 * waiting browser (interaction or sign-in cookie): someone who merely knows the challenge cannot.
 */
export async function endCancelledChallenge(challenges: Pick<ChallengeStore, 'consume'>, outcome: CompletionOutcome): Promise<void> {
  if (outcome.kind === 'failure' && outcome.cancelledChallenge) await challenges.consume(outcome.cancelledChallenge);
}
