import { intersectionOf } from '../json-values.js';
import { isArrayOperand, type PolicyOperator } from '../operator.js';
import { policyInvalid, policyViolation } from '../policy-errors.js';

/**
 * `subset_of` (§ 6.1.3.1.5): a present array parameter keeps only the listed values — it may end up
 * `[]`; a check and a modifier at once. After `one_of`.
 */
export const subsetOfOperator: PolicyOperator = {
  name: 'subset_of',
  checkValue(value, where) {
    if (!isArrayOperand(value)) throw policyInvalid(where, 'subset_of', 'must be an array of strings, numbers or objects');
  },
  merge(superior, subordinate) {
    // An empty intersection is allowed here (unlike one_of): the spec says so.
    return intersectionOf(superior as unknown[], subordinate as unknown[]);
  },
  apply(parameter, value, where) {
    if (parameter === undefined) return parameter;
    if (!Array.isArray(parameter)) throw policyViolation(where, 'subset_of', 'the parameter is not an array');
    return intersectionOf(parameter, value as unknown[]);
  },
};
