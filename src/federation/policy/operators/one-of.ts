import { includesJson, intersectionOf } from '../json-values.js';
import { isArrayOperand, type PolicyOperator } from '../operator.js';
import { policyConflict, policyInvalid, policyViolation } from '../policy-errors.js';

/** `one_of` (§ 6.1.3.1.4): a present single-valued parameter must be one of the listed values. After `default`. */
export const oneOfOperator: PolicyOperator = {
  name: 'one_of',
  checkValue(value, where) {
    if (!isArrayOperand(value)) throw policyInvalid(where, 'one_of', 'must be an array of strings, numbers or objects');
    // No value could ever pass an empty one_of; the merge rule refuses an empty intersection for the same reason.
    if (value.length === 0) throw policyInvalid(where, 'one_of', 'must not be empty');
  },
  merge(superior, subordinate, where) {
    const merged = intersectionOf(superior as unknown[], subordinate as unknown[]);
    if (merged.length === 0) throw policyConflict(where, ['one_of'], 'the superior and subordinate one_of values have no value in common');
    return merged;
  },
  apply(parameter, value, where) {
    if (parameter === undefined) return parameter;
    if (Array.isArray(parameter)) throw policyViolation(where, 'one_of', 'one_of applies to a single value, the parameter is an array');
    if (!includesJson(value as unknown[], parameter)) throw policyViolation(where, 'one_of', `${JSON.stringify(parameter)} is not one of ${JSON.stringify(value)}`);
    return parameter;
  },
};
