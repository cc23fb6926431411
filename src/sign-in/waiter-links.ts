import type { ErrorPageOptions } from '../shared/errors/render-error-page.js';
import type { SignInBinding, SignInWaiters } from './sign-in-binding.js';
import { waiterOf } from './sign-in-waiter-lookup.js';

/** The links a method's own error page offers for the waiting page, all named by the waiter. */
export type WaiterLinks = Pick<ErrorPageOptions, 'retry' | 'back' | 'languageSwitchPath'>;

/** `retry`: offer "Riprova" (waiting helps) beside the way back to the service. */
export function waiterLinks(waiters: SignInWaiters, binding: SignInBinding | undefined, methodPathName: string, retry: boolean): WaiterLinks {
  if (!binding) return {};
  const waiter = waiterOf(waiters, binding);
  const page = waiter.pagePath?.(binding.id);
  const back = waiter.backPath?.(binding.id);
  return {
    ...(page ? { languageSwitchPath: page } : {}),
    ...(retry && waiter.retryPath ? { retry: { action: waiter.retryPath(binding.id, methodPathName) } } : {}),
    ...(back ? { back: { href: back } } : {}),
  };
}
