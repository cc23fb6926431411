import { cloneJson, unionOf } from '../json-values.js';
import { isArrayOperand, type PolicyOperator } from '../operator.js';
import { policyInvalid, policyViolation } from '../policy-errors.js';

/** `add` (§ 6.1.3.1.2): values added to an array parameter, none twice; an absent parameter starts with them. */
export const addOperator: PolicyOperator = {
  name: 'add',
  checkValue(value, where) {
    if (!isArrayOperand(value)) throw policyInvalid(where, 'add', 'must be an array of strings, numbers or objects');
  },
  merge(superior, subordinate) {
    return unionOf(superior as unknown[], subordinate as unknown[]);
  },
  apply(parameter, value, where) {
    if (parameter === undefined) return cloneJson(value);
    if (!Array.isArray(parameter)) throw policyViolation(where, 'add', 'the parameter is not an array');
    return unionOf(parameter, cloneJson(value as unknown[]));
  },
};
