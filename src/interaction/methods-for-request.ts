import { acrLevel } from '../oidc/acr.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';

/** The levels a request lists, in its order of preference (unknown values, refused earlier by the request rules, are skipped). */
function listedLevels(acrValues: unknown): number[] {
  const levels = (typeof acrValues === 'string' ? acrValues.split(' ') : []).map(acrLevel).filter((level) => level > 0);
  return [...new Set(levels)];
}

/**
 * The level a request needs: the lowest of its `acr_values` (any listed level is acceptable to the RP,
 * and a higher level satisfies a lower one); none asked means level 3, as the login policy reads it
 * (oidc/provider.ts).
 */
export function requestedLevel(acrValues: unknown): number {
  const levels = listedLevels(acrValues);
  return levels.length > 0 ? Math.min(...levels) : 3;
}

/** Whether what a sign-in reached (its `acr`) satisfies the request: never less than the lowest level it accepts. */
export function satisfiesRequest(acr: string, acrValues: unknown): boolean {
  return acrLevel(acr) >= requestedLevel(acrValues);
}

/**
 * The methods the login page offers (docs/levels.md, "acr_values"): those whose level satisfies the
 * request; the levels the request lists first, in its order of preference, then the higher levels it
 * did not list; within a level, the composition's order. Methods that share an entry on the page
 * (one `choiceView`: the password alone and the password with a code) appear once, as the one of the
 * preferred level.
 */
export function methodsFor<M extends Pick<SignInMethod, 'level'> & Partial<Pick<SignInMethod, 'choiceView'>>>(methods: readonly M[], acrValues: unknown): M[] {
  const needed = requestedLevel(acrValues);
  const listed = listedLevels(acrValues).filter((level) => level >= needed);
  const order = [...(listed.length > 0 ? listed : [needed]), ...[1, 2, 3].filter((level) => level >= needed && !listed.includes(level))];
  const offered = order.flatMap((level) => methods.filter((method) => method.level === level));
  const seen = new Set<string>();
  return offered.filter((method) => {
    if (method.choiceView === undefined) return true;
    if (seen.has(method.choiceView)) return false;
    seen.add(method.choiceView);
    return true;
  });
}
