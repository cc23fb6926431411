import { cloneJson, operatorValuesEqual } from '../json-values.js';
import type { PolicyOperator } from '../operator.js';
import { policyConflict, policyInvalid } from '../policy-errors.js';

/** `default` (§ 6.1.3.1.3): the value of an absent parameter; no effect on a present one. After `add`. */
export const defaultOperator: PolicyOperator = {
  name: 'default',
  checkValue(value, where) {
    // string, number, boolean, array mandatory, objects optional (taken); never null: a default cannot remove.
    if (value === null || value === undefined) throw policyInvalid(where, 'default', 'must not be null');
  },
  merge(superior, subordinate, where) {
    if (!operatorValuesEqual(superior, subordinate)) throw policyConflict(where, ['default'], 'a superior and a subordinate set different defaults');
    return superior;
  },
  apply(parameter, value) {
    return parameter === undefined ? cloneJson(value) : parameter;
  },
};
