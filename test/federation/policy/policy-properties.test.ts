import fc from 'fast-check';
import type { EntityMetadata, MetadataPolicy } from '../../../src/federation/entity-statement.js';
import { FederationError } from '../../../src/federation/federation-error.js';
import { applyMetadataPolicy } from '../../../src/federation/policy/apply-metadata-policy.js';
import { combinePolicies } from '../../../src/federation/policy/combine-policies.js';

// Properties that hold for the final spec's rules (and that the implementation must keep):
// - merging is associative: the order in which a chain's statements are grouped does not change the
//   resolved policy, nor whether it is a conflict (each merge only narrows, so a conflict never heals);
// - the resolved metadata already satisfies every policy of the chain: re-applying any one statement's
//   policy to it changes nothing.
// (Applying the superior's policy and then the subordinate's is NOT the same as applying the merged
// policy — e.g. a default set by one and a value by the other — so that is not claimed.)
const RP = 'openid_relying_party';
const letters = ['a', 'b', 'c', 'd'];
const someLetters = fc.subarray(letters);
const someLettersNonEmpty = fc.subarray(letters, { minLength: 1 });
const letter = fc.constantFrom(...letters);

/** At most `max` of the operators: a statement rarely sets many for one parameter, and random full sets nearly always conflict. */
function fewOperators<T extends Record<string, unknown>>(operators: { [K in keyof T]: fc.Arbitrary<T[K]> }, max: number) {
  return fc.tuple(fc.record(operators), fc.subarray(Object.keys(operators), { maxLength: max })).map(([all, chosen]) => Object.fromEntries(chosen.map((name) => [name, all[name]])));
}
const arrayParameterPolicy = fewOperators(
  { value: fc.option(someLetters, { nil: null, freq: 8 }), add: someLetters, default: someLettersNonEmpty, subset_of: someLetters, superset_of: someLetters, essential: fc.boolean() },
  2,
);
const singleParameterPolicy = fewOperators({ value: fc.option(letter, { nil: null, freq: 8 }), default: letter, one_of: someLettersNonEmpty, essential: fc.boolean() }, 2);
const policy: fc.Arbitrary<MetadataPolicy> = fc.record({ grant_types: arrayParameterPolicy, alg: singleParameterPolicy }, { requiredKeys: [] }).map((parameters) => ({ [RP]: parameters }));
const metadata: fc.Arbitrary<EntityMetadata> = fc.record({ grant_types: someLetters, alg: letter }, { requiredKeys: [] }).map((parameters) => ({ [RP]: parameters }));

type Outcome = { code: string } | { value: unknown };
function outcome(action: () => unknown): Outcome {
  try {
    return { value: sortArrays(action()) };
  } catch (error) {
    if (error instanceof FederationError) return { code: error.code };
    throw error;
  }
}
/** The spec leaves the order of merged operator values undefined: compare them as sets. */
function sortArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortArrays).sort();
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sortArrays(item)]));
  return value;
}

test('combining policies is associative, conflicts included', () => {
  fc.assert(
    fc.property(policy, policy, policy, (anchor, intermediate, superior) => {
      const leftFirst = outcome(() => combinePolicies(combinePolicies(anchor, intermediate), superior));
      const rightFirst = outcome(() => combinePolicies(anchor, combinePolicies(intermediate, superior)));
      expect(leftFirst).toEqual(rightFirst);
    }),
    { numRuns: 2000 },
  );
});

test('the metadata resolved with a merged policy satisfies each statement policy unchanged', () => {
  fc.assert(
    fc.property(policy, policy, metadata, (superior, subordinate, leaf) => {
      let resolved: EntityMetadata;
      try {
        resolved = applyMetadataPolicy(leaf, combinePolicies(superior, subordinate));
      } catch (error) {
        if (error instanceof FederationError) return; // a conflict or a violation: nothing resolved to check
        throw error;
      }
      expect(applyMetadataPolicy(resolved, superior)).toEqual(resolved);
      expect(applyMetadataPolicy(resolved, subordinate)).toEqual(resolved);
    }),
    { numRuns: 2000 },
  );
});
