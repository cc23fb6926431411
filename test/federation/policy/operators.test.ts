import { applyMetadataPolicy } from '../../../src/federation/policy/apply-metadata-policy.js';
import { combinePolicies } from '../../../src/federation/policy/combine-policies.js';
import { OPERATORS_IN_ORDER } from '../../../src/federation/policy/operator-registry.js';
import type { ParameterPolicy } from '../../../src/federation/policy/parameter-policy.js';
import { codeOf } from './policy-test-helpers.js';

// One RP parameter under one policy: what the metadata becomes (undefined = the parameter is absent).
const RP = 'openid_relying_party';
function applyTo(value: unknown, operators: ParameterPolicy, parameter = 'p'): unknown {
  const metadata = { [RP]: value === undefined ? {} : { [parameter]: value } };
  return applyMetadataPolicy(metadata, { [RP]: { [parameter]: operators } })[RP]![parameter];
}
function merge(superior: ParameterPolicy, subordinate: ParameterPolicy, parameter = 'p'): ParameterPolicy {
  return combinePolicies({ [RP]: { [parameter]: superior } }, { [RP]: { [parameter]: subordinate } })[RP]![parameter]!;
}

test('operators apply in the order of the final spec: value, add, default, one_of, subset_of, superset_of, essential', () => {
  expect(OPERATORS_IN_ORDER.map((operator) => operator.name)).toEqual(['value', 'add', 'default', 'one_of', 'subset_of', 'superset_of', 'essential']);
});

describe('value', () => {
  test('apply: the parameter takes the operator value, present or absent', () => {
    expect(applyTo('RS256', { value: 'ES256' })).toBe('ES256');
    expect(applyTo(undefined, { value: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(applyTo(true, { value: false })).toBe(false);
    expect(applyTo(undefined, { value: { k: 1 } })).toEqual({ k: 1 });
  });
  test('apply: value null removes the parameter', () => {
    const resolved = applyMetadataPolicy({ [RP]: { p: 'x', q: 'kept' } }, { [RP]: { p: { value: null } } });
    expect(resolved[RP]).toEqual({ q: 'kept' });
    expect('p' in resolved[RP]!).toBe(false);
  });
  test('merge: equal values merge (arrays as sets), different values are a policy_conflict', () => {
    expect(merge({ value: 'ES256' }, { value: 'ES256' })).toEqual({ value: 'ES256' });
    expect(merge({ value: ['a', 'b'] }, { value: ['b', 'a'] }).value).toEqual(['a', 'b']);
    expect(merge({ value: null }, { value: null })).toEqual({ value: null });
    expect(codeOf(() => merge({ value: 'ES256' }, { value: 'RS256' }))).toBe('policy_conflict');
    expect(codeOf(() => merge({ value: null }, { value: 'x' }))).toBe('policy_conflict');
  });
});

describe('add', () => {
  test('apply: values added once each; an absent parameter starts with them', () => {
    expect(applyTo(['a', 'b'], { add: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
    expect(applyTo(undefined, { add: ['c'] })).toEqual(['c']);
    expect(applyTo([{ k: 1 }], { add: [{ k: 1 }, { k: 2 }] })).toEqual([{ k: 1 }, { k: 2 }]);
  });
  test('apply: a parameter that is not an array is a metadata_policy_violation', () => {
    expect(codeOf(() => applyTo('a', { add: ['b'] }))).toBe('metadata_policy_violation');
  });
  test('merge: union of the values', () => {
    expect(merge({ add: ['a', 'b'] }, { add: ['b', 'c'] })).toEqual({ add: ['a', 'b', 'c'] });
  });
  test('value type: not an array (or an array of booleans) is policy_invalid', () => {
    expect(codeOf(() => applyTo([], { add: 'a' }))).toBe('policy_invalid');
    expect(codeOf(() => applyTo([], { add: [true] }))).toBe('policy_invalid');
  });
});

describe('default', () => {
  test('apply: sets an absent parameter, leaves a present one alone', () => {
    expect(applyTo(undefined, { default: 'ES256' })).toBe('ES256');
    expect(applyTo('RS256', { default: 'ES256' })).toBe('RS256');
    expect(applyTo(undefined, { default: ['authorization_code'] })).toEqual(['authorization_code']);
  });
  test('merge: equal defaults merge, different ones are a policy_conflict', () => {
    expect(merge({ default: 'ES256' }, { default: 'ES256' })).toEqual({ default: 'ES256' });
    expect(codeOf(() => merge({ default: 'ES256' }, { default: 'PS256' }))).toBe('policy_conflict');
  });
  test('value type: null is policy_invalid (a default cannot remove)', () => {
    expect(codeOf(() => applyTo(undefined, { default: null }))).toBe('policy_invalid');
  });
});

describe('one_of', () => {
  test('apply: a present value must be listed; an absent parameter passes', () => {
    expect(applyTo('ES256', { one_of: ['ES256', 'PS256'] })).toBe('ES256');
    expect(applyTo(undefined, { one_of: ['ES256'] })).toBeUndefined();
    expect(codeOf(() => applyTo('RS256', { one_of: ['ES256', 'PS256'] }))).toBe('metadata_policy_violation');
  });
  test('apply: an array parameter is a metadata_policy_violation (one_of is for single values)', () => {
    expect(codeOf(() => applyTo(['ES256'], { one_of: ['ES256'] }))).toBe('metadata_policy_violation');
  });
  test('merge: intersection; an empty intersection is a policy_conflict', () => {
    expect(merge({ one_of: ['a', 'b', 'c'] }, { one_of: ['c', 'b', 'd'] })).toEqual({ one_of: ['b', 'c'] });
    expect(codeOf(() => merge({ one_of: ['a'] }, { one_of: ['b'] }))).toBe('policy_conflict');
  });
  test('value type: not an array, or empty, is policy_invalid', () => {
    expect(codeOf(() => applyTo('a', { one_of: 'a' }))).toBe('policy_invalid');
    expect(codeOf(() => applyTo('a', { one_of: [] }))).toBe('policy_invalid');
  });
});

describe('subset_of', () => {
  test('apply: a present array keeps only the listed values, possibly none; an absent parameter stays absent', () => {
    expect(applyTo(['a', 'e'], { subset_of: ['a', 'b', 'c'] })).toEqual(['a']);
    expect(applyTo(['d', 'e'], { subset_of: ['a', 'b', 'c'] })).toEqual([]);
    expect(applyTo(undefined, { subset_of: ['a'] })).toBeUndefined();
  });
  test('apply: a parameter that is not an array is a metadata_policy_violation', () => {
    expect(codeOf(() => applyTo('a', { subset_of: ['a'] }))).toBe('metadata_policy_violation');
  });
  test('merge: intersection, which may be empty', () => {
    expect(merge({ subset_of: ['a', 'b'] }, { subset_of: ['b', 'c'] })).toEqual({ subset_of: ['b'] });
    expect(merge({ subset_of: ['a'] }, { subset_of: ['b'] })).toEqual({ subset_of: [] });
  });
  test('value type: not an array is policy_invalid', () => {
    expect(codeOf(() => applyTo(['a'], { subset_of: { a: 1 } }))).toBe('policy_invalid');
  });
});

describe('superset_of', () => {
  test('apply: a present array must contain every listed value (equality included)', () => {
    expect(applyTo(['a', 'b', 'c'], { superset_of: ['a', 'b'] })).toEqual(['a', 'b', 'c']);
    expect(applyTo(['a', 'b'], { superset_of: ['b', 'a'] })).toEqual(['a', 'b']);
    expect(applyTo(undefined, { superset_of: ['a'] })).toBeUndefined();
    expect(codeOf(() => applyTo(['a'], { superset_of: ['a', 'b'] }))).toBe('metadata_policy_violation');
  });
  test('merge: union of the values', () => {
    expect(merge({ superset_of: ['a'] }, { superset_of: ['b'] })).toEqual({ superset_of: ['a', 'b'] });
  });
  test('value type: not an array is policy_invalid', () => {
    expect(codeOf(() => applyTo(['a'], { superset_of: 'a' }))).toBe('policy_invalid');
  });
});

describe('essential', () => {
  test('apply: essential true and the parameter absent is a metadata_policy_violation; present passes', () => {
    expect(codeOf(() => applyTo(undefined, { essential: true }))).toBe('metadata_policy_violation');
    expect(applyTo('x', { essential: true })).toBe('x');
    expect(applyTo({ keys: [] }, { essential: true })).toEqual({ keys: [] });
  });
  test('apply: essential false lets the parameter be absent', () => {
    expect(applyTo(undefined, { essential: false })).toBeUndefined();
  });
  test('merge: logical OR', () => {
    expect(merge({ essential: false }, { essential: true })).toEqual({ essential: true });
    expect(merge({ essential: true }, { essential: false })).toEqual({ essential: true });
    expect(merge({ essential: false }, { essential: false })).toEqual({ essential: false });
  });
  test('value type: not a boolean is policy_invalid', () => {
    expect(codeOf(() => applyTo('x', { essential: 'yes' }))).toBe('policy_invalid');
  });
});

describe('the spec table "essential and subset_of for different inputs" (§ 6.1.3.1.8)', () => {
  const rows: [boolean, unknown, unknown][] = [
    [true, ['a', 'e'], ['a']],
    [false, ['a', 'e'], ['a']],
    [true, ['d', 'e'], []],
    [false, ['d', 'e'], []],
    [false, undefined, undefined],
  ];
  test.each(rows)('essential %s, subset_of [a,b,c], input %j → %j', (essential, input, output) => {
    expect(applyTo(input, { essential, subset_of: ['a', 'b', 'c'] })).toEqual(output);
  });
  test('essential true, subset_of [a,b,c], no parameter → error', () => {
    expect(codeOf(() => applyTo(undefined, { essential: true, subset_of: ['a', 'b', 'c'] }))).toBe('metadata_policy_violation');
  });
});

describe('merge copies what only one side has', () => {
  test('operators, parameters and entity types present on one side only are copied', () => {
    const merged = combinePolicies(
      { [RP]: { p: { essential: true } }, openid_provider: { q: { value: 'x' } } },
      { [RP]: { p: { default: 'd' }, r: { add: ['y'] } }, federation_entity: { s: { essential: true } } },
    );
    expect(merged).toEqual({
      [RP]: { p: { essential: true, default: 'd' }, r: { add: ['y'] } },
      openid_provider: { q: { value: 'x' } },
      federation_entity: { s: { essential: true } },
    });
  });
});

describe('scope is a space-separated string that operators treat as an array', () => {
  test('subset_of and add work on the scope values and the result is a string again', () => {
    expect(applyTo('openid profile email', { subset_of: ['openid', 'email'] }, 'scope')).toBe('openid email');
    expect(applyTo('openid', { add: ['offline_access'] }, 'scope')).toBe('openid offline_access');
    expect(applyTo(undefined, { default: 'openid profile', superset_of: ['openid'] }, 'scope')).toBe('openid profile');
    expect(codeOf(() => applyTo('profile', { superset_of: ['openid'] }, 'scope'))).toBe('metadata_policy_violation');
  });
});

test('policies apply only to entity types the metadata has', () => {
  const resolved = applyMetadataPolicy({ [RP]: { p: 'x' } }, { openid_provider: { issuer: { essential: true, default: 'https://op.example' } } });
  expect(resolved).toEqual({ [RP]: { p: 'x' } });
});

test('applying does not change the metadata it was given', () => {
  const metadata = { [RP]: { p: ['a', 'b'] } };
  applyMetadataPolicy(metadata, { [RP]: { p: { subset_of: ['a'] } } });
  expect(metadata).toEqual({ [RP]: { p: ['a', 'b'] } });
});

test('a malformed policy structure is policy_invalid', () => {
  expect(codeOf(() => applyMetadataPolicy({}, { [RP]: 'nope' } as never))).toBe('policy_invalid');
  expect(codeOf(() => applyMetadataPolicy({}, { [RP]: { p: ['value'] } } as never))).toBe('policy_invalid');
});
