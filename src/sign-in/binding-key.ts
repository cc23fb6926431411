import type { SignInBinding } from './sign-in-binding.js';

/**
 * The binding as it is written into a method's records (challenge, ticket, per-sign-in counters):
 * `<waiter>:<id>`. A waiter's name never contains ':', so the first ':' splits it back.
 */
export function bindingKey(binding: SignInBinding): string {
  return `${binding.waiter}:${binding.id}`;
}

/** The binding a record carries; undefined for a text not written by `bindingKey`. */
export function bindingFromKey(key: string): SignInBinding | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  return { waiter: key.slice(0, colon), id: key.slice(colon + 1) };
}
