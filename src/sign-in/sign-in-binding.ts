/**
 * Who waits for a sign-in's outcome: an OIDC interaction, the account page, later a cross-device
 * desktop page. A sign-in method carries the binding through its single-use records (challenge,
 * completion ticket) and never interprets it; the waiter that issued it redeems the outcome.
 */
export interface SignInBinding {
  /** The waiter's name, registered once in `SignInWaiters` (e.g. `interaction`, `account`). */
  readonly waiter: string;
  /** The waiter's own id (an interaction uid, an account sign-in id); opaque to the method. */
  readonly id: string;
}

/** What a waiter tells every sign-in method: where the browser redeems the outcome's ticket. */
export interface SignInWaiter {
  completionPath(id: string, ticket: string): string;
}

/** Every waiter by name, composed once (provider-app.ts); a method looks the waiter up by the binding. */
export type SignInWaiters = Readonly<Record<string, SignInWaiter>>;
