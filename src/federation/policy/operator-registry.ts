import { addOperator } from './operators/add.js';
import { defaultOperator } from './operators/default.js';
import { essentialOperator } from './operators/essential.js';
import { oneOfOperator } from './operators/one-of.js';
import { subsetOfOperator } from './operators/subset-of.js';
import { supersetOfOperator } from './operators/superset-of.js';
import { valueOperator } from './operators/value.js';
import type { PolicyOperator, StandardOperatorName } from './operator.js';

/**
 * The standard operators in the order the final spec applies them: value first, then add, default,
 * one_of, subset_of, superset_of, and essential last (modifiers before checks).
 *
 * Written by hand rather than taken from `@openid-federation/core` (animo/openid-federation-ts,
 * 0.2.x, pre-1.0). In its `metadata/operator/standard/*` and `resolveTrustChains/policies/*`: `value`
 * combines only with `essential`; `subset_of` and `superset_of` fail on an absent parameter;
 * `subset_of` deletes a parameter whose intersection is empty (the final spec keeps `[]`);
 * `superset_of` tests the inclusion the wrong way round; object values are a TODO in the merge.
 * OpenID Federation 1.0 § 6.1 needs all of these right.
 */
export const OPERATORS_IN_ORDER: readonly PolicyOperator[] = [
  valueOperator,
  addOperator,
  defaultOperator,
  oneOfOperator,
  subsetOfOperator,
  supersetOfOperator,
  essentialOperator,
];

const byName = new Map<string, PolicyOperator>(OPERATORS_IN_ORDER.map((operator) => [operator.name, operator]));

export function standardOperator(name: string): PolicyOperator | undefined {
  return byName.get(name);
}

export function isStandardOperator(name: string): name is StandardOperatorName {
  return byName.has(name);
}
