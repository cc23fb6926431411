import type { Context } from 'koa';
import { bindingFromKey } from './binding-key.js';
import type { CompletionTickets } from './completion-tickets.js';
import type { SignInBinding, SignInWaiters } from './sign-in-binding.js';
import { SignInError } from './sign-in-error.js';
import type { SignInOutcome } from './sign-in-outcome.js';
import { waiterOf } from './sign-in-waiter-lookup.js';

/** The binding a ceremony was opened for; one naming no registered waiter is refused. */
export function ceremonyBinding(waiters: SignInWaiters, boundTo: string): SignInBinding {
  const binding = bindingFromKey(boundTo);
  if (!binding) throw new SignInError('unknown_waiter', 'a ceremony bound to no waiter');
  waiterOf(waiters, binding);
  return binding;
}

/** The outcome as a one-time ticket, and the browser sent to the waiter's completion path (which asks the waiter's cookie). */
export async function handOutcome(ctx: Context, deps: { tickets: CompletionTickets; waiters: SignInWaiters }, boundTo: string, outcome: SignInOutcome): Promise<void> {
  const binding = ceremonyBinding(deps.waiters, boundTo);
  const ticket = await deps.tickets.issue(binding, outcome);
  ctx.status = 303;
  ctx.redirect(waiterOf(deps.waiters, binding).completionPath(binding.id, ticket));
}

/** The waiter's "back to the service" link for a ceremony's pages. */
export function backHrefOf(waiters: SignInWaiters, boundTo: string): string | undefined {
  const binding = bindingFromKey(boundTo);
  if (!binding) return undefined;
  return waiterOf(waiters, binding).backPath?.(binding.id);
}
