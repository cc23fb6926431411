import type { SignInBinding, SignInWaiter } from '../sign-in/sign-in-binding.js';

/** The OIDC interaction's name among the waiters of a sign-in (SignInWaiters, composed in provider-app.ts). */
export const INTERACTION_WAITER = 'interaction';

export function interactionBinding(uid: string): SignInBinding {
  return { waiter: INTERACTION_WAITER, id: uid };
}

const at = (uid: string) => `/interaction/${encodeURIComponent(uid)}`;

/** Where a method sends the browser back to the interaction, and the links its error pages offer. */
export const interactionWaiter: SignInWaiter = {
  completionPath: (uid, ticket) => `${at(uid)}/cie/complete?ticket=${ticket}`,
  pagePath: at,
  retryPath: (uid, method) => `${at(uid)}/${method}`,
  backPath: (uid) => `${at(uid)}/abort`,
};
