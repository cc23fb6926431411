import type { SignInBinding, SignInWaiters } from './sign-in-binding.js';
import { waiterOf } from './sign-in-waiter-lookup.js';

/** The links a method's own error page offers for the waiting page, all given by the waiter. */
export interface WaiterLinks {
  /** "Riprova": where the form posts to start the method again. */
  retryPath?: string;
  /** "Torna al servizio". */
  backPath?: string;
  /** Where the language switch leads (the page was drawn as the answer to a post). */
  languageSwitchPath?: string;
  /**
   * The same links as the error view reads them today (views/error.ejs builds the paths from the
   * id): set only when the waiter offers that link, so a waiter without one gets none.
   */
  retryUid?: string;
  backUid?: string;
}

/** `retry`: offer "Riprova" (waiting helps), else only the way back to the service. */
export function waiterLinks(waiters: SignInWaiters, binding: SignInBinding | undefined, methodPathName: string, retry: boolean): WaiterLinks {
  if (!binding) return {};
  const waiter = waiterOf(waiters, binding);
  const links: WaiterLinks = {};
  const page = waiter.pagePath?.(binding.id);
  if (page) links.languageSwitchPath = page;
  if (retry && waiter.retryPath) Object.assign(links, { retryPath: waiter.retryPath(binding.id, methodPathName), retryUid: binding.id });
  else if (waiter.backPath) Object.assign(links, { backPath: waiter.backPath(binding.id), backUid: binding.id });
  return links;
}
