import { FederationError } from '../../../src/federation/federation-error.js';
import { applyMetadataPolicy } from '../../../src/federation/policy/apply-metadata-policy.js';
import { combinePolicies } from '../../../src/federation/policy/combine-policies.js';
import { COMBINATION_RULES } from '../../../src/federation/policy/operator-combinations.js';
import type { ParameterPolicy } from '../../../src/federation/policy/parameter-policy.js';
import { codeOf } from './policy-test-helpers.js';

// Each conflict of § 6.1.3.1 ("Combination with other operators"), checked in one statement's own
// policy and again when two statements that are each sound merge into an unsound policy.
const RP = 'openid_relying_party';
// A statement's own policy is validated when it enters the merge (an empty superior: nothing to merge with).
const inOneStatement = (operators: ParameterPolicy) => () => combinePolicies({}, { [RP]: { p: operators } });
const afterMerge = (superior: ParameterPolicy, subordinate: ParameterPolicy) => () => combinePolicies({ [RP]: { p: superior } }, { [RP]: { p: subordinate } });

function conflictOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof FederationError && error.code === 'policy_conflict') return error.details.operators as string[];
    throw error;
  }
  throw new Error('expected a policy_conflict');
}

interface Case {
  rule: string;
  conflicting: ParameterPolicy;
  /** The same pair on the allowed side of the condition (for unconditional refusals: none). */
  allowed?: ParameterPolicy;
  /** Two statements, each sound alone, whose merge breaks the rule. */
  merged: [ParameterPolicy, ParameterPolicy];
}

const cases: Case[] = [
  { rule: 'value with add: the values of add MUST be a subset of the values of value', conflicting: { value: ['a'], add: ['b'] }, allowed: { value: ['a', 'b'], add: ['b'] }, merged: [{ value: ['a'] }, { add: ['b'] }] },
  { rule: 'value with add: value null and any add, even [] (add would initialise the removed parameter)', conflicting: { value: null, add: [] }, merged: [{ value: null }, { add: [] }] },
  { rule: 'value with default: only if value is not null', conflicting: { value: null, default: 'x' }, allowed: { value: 'x', default: 'y' }, merged: [{ default: 'x' }, { value: null }] },
  { rule: 'value with one_of: the value of value MUST be among the one_of values', conflicting: { value: 'RS256', one_of: ['ES256'] }, allowed: { value: 'ES256', one_of: ['ES256', 'PS256'] }, merged: [{ one_of: ['ES256'] }, { value: 'RS256' }] },
  { rule: 'value with subset_of: the values of value MUST be a subset of the values of subset_of', conflicting: { value: ['a', 'z'], subset_of: ['a', 'b'] }, allowed: { value: ['a'], subset_of: ['a', 'b'] }, merged: [{ subset_of: ['a', 'b'] }, { value: ['a', 'z'] }] },
  { rule: 'value with superset_of: the values of value MUST be a superset of the values of superset_of', conflicting: { value: ['a'], superset_of: ['a', 'b'] }, allowed: { value: ['a', 'b', 'c'], superset_of: ['a', 'b'] }, merged: [{ superset_of: ['b'] }, { value: ['a'] }] },
  { rule: 'value with essential: not when value is null and essential is true', conflicting: { value: null, essential: true }, allowed: { value: null, essential: false }, merged: [{ essential: true }, { value: null }] },
  { rule: 'add with subset_of: the values of add MUST be a subset of the values of subset_of', conflicting: { add: ['z'], subset_of: ['a'] }, allowed: { add: ['a'], subset_of: ['a', 'b'] }, merged: [{ subset_of: ['a'] }, { add: ['z'] }] },
  { rule: 'subset_of with superset_of: subset_of MUST be a superset of superset_of', conflicting: { subset_of: ['a'], superset_of: ['a', 'b'] }, allowed: { subset_of: ['a', 'b'], superset_of: ['a', 'b'] }, merged: [{ subset_of: ['a', 'b'], superset_of: ['a'] }, { superset_of: ['c'] }] },
  { rule: 'one_of with add: not allowed (one_of combines only with value, default, essential)', conflicting: { one_of: ['a'], add: ['a'] }, merged: [{ one_of: ['a'] }, { add: ['a'] }] },
  { rule: 'one_of with subset_of: not allowed (one_of combines only with value, default, essential)', conflicting: { one_of: ['a'], subset_of: ['a'] }, merged: [{ subset_of: ['a'] }, { one_of: ['a'] }] },
  { rule: 'one_of with superset_of: not allowed (one_of combines only with value, default, essential)', conflicting: { one_of: ['a'], superset_of: ['a'] }, merged: [{ one_of: ['a'] }, { superset_of: ['a'] }] },
];

describe.each(cases)('$rule', ({ conflicting, allowed, merged }) => {
  const pair = Object.keys(conflicting).sort();
  test('in one statement: policy_conflict naming both operators', () => {
    expect(conflictOf(inOneStatement(conflicting)).sort()).toEqual(pair);
  });
  if (allowed) {
    test('in one statement: the condition met, the pair is accepted', () => {
      expect(() => inOneStatement(allowed)()).not.toThrow();
    });
  }
  test('after merging two statements that are each sound: policy_conflict', () => {
    const [superior, subordinate] = merged;
    expect(() => inOneStatement(superior)()).not.toThrow();
    expect(() => inOneStatement(subordinate)()).not.toThrow();
    expect(conflictOf(afterMerge(superior, subordinate)).length).toBe(2);
  });
});

test('every combination rule in the table has its test above', () => {
  const tested = new Set(cases.map(({ conflicting }) => Object.keys(conflicting).sort().join('+')));
  for (const { operators } of COMBINATION_RULES) expect(tested).toContain([...operators].sort().join('+'));
});

test('combinations the spec allows unconditionally are accepted', () => {
  const allowedPairs: ParameterPolicy[] = [
    { add: ['a'], default: ['a'] },
    { add: ['a'], superset_of: ['b'] },
    { add: ['a'], essential: true },
    { default: 'a', one_of: ['b'] },
    { default: ['a'], subset_of: ['b'] },
    { default: ['a'], superset_of: ['b'] },
    { default: 'a', essential: true },
    { one_of: ['a'], essential: true },
    { subset_of: ['a'], essential: false },
    { superset_of: ['a'], essential: true },
    { value: 'a', essential: true },
  ];
  for (const operators of allowedPairs) expect(() => combinePolicies({}, { [RP]: { p: operators } })).not.toThrow();
});

test('value null with the checks one_of, subset_of, superset_of is accepted: they only look at a present parameter', () => {
  const resolved = applyMetadataPolicy({ [RP]: { p: 'x' } }, { [RP]: { p: { value: null, one_of: ['y'] } } });
  expect(resolved[RP]).toEqual({});
  expect(() => inOneStatement({ value: null, subset_of: ['a'] })()).not.toThrow();
  expect(() => inOneStatement({ value: null, superset_of: ['a'] })()).not.toThrow();
});

test('a scope value written as a string is compared as scope values', () => {
  expect(() => combinePolicies({}, { [RP]: { scope: { value: 'openid email', subset_of: ['openid', 'email', 'profile'] } } })).not.toThrow();
  expect(codeOf(() => combinePolicies({}, { [RP]: { scope: { value: 'openid admin', subset_of: ['openid'] } } }))).toBe('policy_conflict');
});
