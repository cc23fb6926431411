import type { PolicyOperator } from '../operator.js';
import { policyInvalid, policyViolation } from '../policy-errors.js';

/** `essential` (§ 6.1.3.1.7): `true` means the parameter must be present. Applied last. */
export const essentialOperator: PolicyOperator = {
  name: 'essential',
  checkValue(value, where) {
    if (typeof value !== 'boolean') throw policyInvalid(where, 'essential', 'must be a boolean');
  },
  merge(superior, subordinate) {
    return superior === true || subordinate === true;
  },
  apply(parameter, value, where) {
    if (value === true && parameter === undefined) throw policyViolation(where, 'essential', 'the parameter is essential and absent');
    return parameter;
  },
};
