import type { SignInBinding, SignInWaiter } from '../sign-in/sign-in-binding.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';

/** The account page's name among the waiters of a sign-in (SignInWaiters, composed in provider-app.ts). */
export const ACCOUNT_WAITER = 'account';

/** A sign-in for the account page, bound to the random id only this browser's sign-in cookie holds. */
export function accountBinding(signInId: string): SignInBinding {
  return { waiter: ACCOUNT_WAITER, id: signInId };
}

/** Where the page's button for a method posts to start it ("Entra con CIE": POST /account/cie). */
export function accountStartPath(method: Pick<SignInMethod, 'pathName'>): string {
  return `/account/${method.pathName}`;
}

/**
 * Where a sign-in method sends the browser with the outcome's ticket. The id stays out of the URL:
 * the completion step reads it from the sign-in cookie, so the ticket works only in this browser.
 */
export const accountSignInWaiter: SignInWaiter = {
  completionPath: (_signInId, ticket) => `/account/cie/complete?ticket=${ticket}`,
  // A method's error page (a 429) switches language to the page itself. No "Torna al servizio":
  // the page has no service to go back to.
  pagePath: () => '/account',
};
