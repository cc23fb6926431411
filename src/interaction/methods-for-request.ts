import { acrLevel } from '../oidc/acr.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';

/**
 * The level a request needs: the lowest of its `acr_values` the provider knows (any listed level is
 * acceptable to the RP, and a higher level satisfies a lower one); none asked means level 3, as the
 * login policy reads it (oidc/provider.ts).
 */
export function requestedLevel(acrValues: unknown): number {
  const levels = (typeof acrValues === 'string' ? acrValues.split(' ') : []).map(acrLevel).filter((level) => level > 0);
  return levels.length > 0 ? Math.min(...levels) : 3;
}

/** The methods the login page offers: those whose level satisfies the request, in the composition's order. */
export function methodsFor<M extends Pick<SignInMethod, 'level'>>(methods: readonly M[], acrValues: unknown): M[] {
  const needed = requestedLevel(acrValues);
  return methods.filter((method) => method.level >= needed);
}
