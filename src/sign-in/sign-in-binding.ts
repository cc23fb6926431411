/**
 * Who waits for a sign-in's outcome: an OIDC interaction, the account page, later a cross-device
 * desktop page. A sign-in method carries the binding through its single-use records (challenge,
 * completion ticket) and never interprets it; the waiter that issued it redeems the outcome.
 */
export interface SignInBinding {
  /** The waiter's name, registered once in `SignInWaiters` (e.g. `interaction`, `account`); never contains ':'. */
  readonly waiter: string;
  /** The waiter's own id (an interaction uid, an account sign-in id); opaque to the method. */
  readonly id: string;
}

/**
 * What a waiter tells every sign-in method: where the browser redeems the outcome's ticket, and the
 * links a method's own error pages (a 429, an assertion that names no sign-in) may offer for it.
 */
export interface SignInWaiter {
  /** Where the browser redeems an outcome's ticket: a GET that carries the waiter's own cookie. */
  completionPath(id: string, ticket: string): string;
  /** The waiter's page: where the language switch of a method's error page leads. */
  pagePath?(id: string): string;
  /** Where a "Riprova" form posts to start the method again: the waiter's start endpoint of the method named by its `pathName`. */
  retryPath?(id: string, methodPathName: string): string;
  /** Where "Torna al servizio" leads (the interaction's abort); a waiter without a service to go back to has none. */
  backPath?(id: string): string;
}

/** Every waiter by name, composed once (provider-app.ts); a method looks the waiter up by the binding. */
export type SignInWaiters = Readonly<Record<string, SignInWaiter>>;
