import type { SignInBinding, SignInWaiter } from '../sign-in/sign-in-binding.js';

/** The OIDC interaction's name among the waiters of a sign-in (SignInWaiters, composed in provider-app.ts). */
export const INTERACTION_WAITER = 'interaction';

export function interactionBinding(uid: string): SignInBinding {
  return { waiter: INTERACTION_WAITER, id: uid };
}

/** The interaction's page: its login page, or its consent once a sign-in is held there. */
export const interactionPagePath = (uid: string) => `/interaction/${encodeURIComponent(uid)}`;

/** "Riprova": the method's start endpoint for this interaction (the card: `/interaction/:uid/cie`). */
export const interactionRetryPath = (uid: string, methodPathName: string) => `${interactionPagePath(uid)}/${methodPathName}`;
/** "Torna al servizio": the abort, which sends access_denied to the RP. */
export const interactionAbortPath = (uid: string) => `${interactionPagePath(uid)}/abort`;

/** Where a method sends the browser back to the interaction, and the links its error pages offer. */
export const interactionWaiter: SignInWaiter = {
  completionPath: (uid, ticket) => `${interactionPagePath(uid)}/cie/complete?ticket=${ticket}`,
  pagePath: interactionPagePath,
  retryPath: interactionRetryPath,
  backPath: interactionAbortPath,
};
