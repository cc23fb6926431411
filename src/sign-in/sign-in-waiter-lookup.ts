import type { SignInBinding, SignInWaiter, SignInWaiters } from './sign-in-binding.js';
import { SignInError } from './sign-in-error.js';

/**
 * The waiter a binding names. A name nobody registered is refused before anything is issued for it
 * (a method never makes up a completion path of its own).
 */
export function waiterOf(waiters: SignInWaiters, binding: SignInBinding): SignInWaiter {
  const waiter = Object.hasOwn(waiters, binding.waiter) ? waiters[binding.waiter] : undefined;
  if (!waiter || binding.waiter.includes(':')) throw new SignInError('unknown_waiter', `no sign-in waiter named ${JSON.stringify(binding.waiter)}`);
  return waiter;
}
