import { cloneJson, operatorValuesEqual } from '../json-values.js';
import type { PolicyOperator } from '../operator.js';
import { policyConflict, policyInvalid } from '../policy-errors.js';

/** `value` (§ 6.1.3.1.1): the parameter takes the operator value; `null` removes it. Applied first. */
export const valueOperator: PolicyOperator = {
  name: 'value',
  checkValue(value, where) {
    // string, number, boolean, array, null are mandatory; objects are the spec's optional type, taken too.
    if (value === undefined) throw policyInvalid(where, 'value', 'missing operator value');
  },
  merge(superior, subordinate, where) {
    if (!operatorValuesEqual(superior, subordinate)) throw policyConflict(where, ['value'], 'a superior and a subordinate set different values');
    return superior;
  },
  apply(_parameter, value) {
    return value === null ? undefined : cloneJson(value);
  },
};
