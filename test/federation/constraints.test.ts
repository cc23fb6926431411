import { assertChainConstraints, assertConstraints, hostMatches, removeDisallowedEntityTypes } from '../../src/federation/constraints.js';
import { codeOf } from './policy/policy-test-helpers.js';

const below = (over: Partial<{ intermediates: number; entityIds: string[]; leafEntityTypes: string[] }> = {}) => ({
  intermediates: 0,
  entityIds: ['https://rp.example.com'],
  leafEntityTypes: ['openid_relying_party'],
  ...over,
});

test('no constraints: nothing to check', () => {
  expect(() => assertConstraints(undefined, below({ intermediates: 9 }))).not.toThrow();
  expect(() => assertConstraints({}, below({ intermediates: 9 }))).not.toThrow();
});

describe('max_path_length (§ 6.2.1)', () => {
  test('passes when the intermediates between the issuer and the leaf are at most the limit', () => {
    expect(() => assertConstraints({ max_path_length: 0 }, below({ intermediates: 0 }))).not.toThrow();
    expect(() => assertConstraints({ max_path_length: 2 }, below({ intermediates: 2 }))).not.toThrow();
  });
  test('path_too_long when there are more', () => {
    expect(codeOf(() => assertConstraints({ max_path_length: 1 }, below({ intermediates: 2 })))).toBe('path_too_long');
    expect(codeOf(() => assertConstraints({ max_path_length: 0 }, below({ intermediates: 1 })))).toBe('path_too_long');
  });
  test('a negative or fractional limit is a malformed statement', () => {
    expect(codeOf(() => assertConstraints({ max_path_length: -1 }, below()))).toBe('statement_malformed');
    expect(codeOf(() => assertConstraints({ max_path_length: 1.5 }, below()))).toBe('statement_malformed');
  });
  // The spec's own example: LE ← I1 ← I2 ← TA (leaf-first subordinate statements: I1 about LE, I2 about I1, TA about I2).
  const chain = (i1?: number, i2?: number, ta?: number) => [
    { sub: 'https://le.example.com', constraints: i1 === undefined ? undefined : { max_path_length: i1 } },
    { sub: 'https://i1.example.com', constraints: i2 === undefined ? undefined : { max_path_length: i2 } },
    { sub: 'https://i2.example.com', constraints: ta === undefined ? undefined : { max_path_length: ta } },
  ];
  test('the spec example chains that fulfil the constraints pass', () => {
    expect(() => assertChainConstraints(chain(undefined, undefined, 2), ['openid_relying_party'])).not.toThrow();
    expect(() => assertChainConstraints(chain(undefined, 1, 2), ['openid_relying_party'])).not.toThrow();
    expect(() => assertChainConstraints(chain(0, undefined, undefined), ['openid_relying_party'])).not.toThrow();
  });
  test('the spec example chain that does not (the TA sets 1) is path_too_long', () => {
    expect(codeOf(() => assertChainConstraints(chain(undefined, undefined, 1), ['openid_relying_party']))).toBe('path_too_long');
  });
});

describe('naming_constraints (§ 6.2.2, RFC 5280 domain name syntax)', () => {
  test('a leading "." matches subdomains, not the domain itself; no dot means that host only', () => {
    expect(hostMatches('host.example.com', '.example.com')).toBe(true);
    expect(hostMatches('my.host.example.com', '.example.com')).toBe(true);
    expect(hostMatches('example.com', '.example.com')).toBe(false);
    expect(hostMatches('badexample.com', '.example.com')).toBe(false);
    expect(hostMatches('host.example.com', 'host.example.com')).toBe(true);
    expect(hostMatches('sub.host.example.com', 'host.example.com')).toBe(false);
    expect(hostMatches('host.example.com', 'HOST.Example.com')).toBe(true);
  });
  const spec = { naming_constraints: { permitted: ['.example.com'], excluded: ['east.example.com'] } };
  test('entity ids within the permitted names pass (the spec example)', () => {
    expect(() => assertConstraints(spec, below({ entityIds: ['https://rp.example.com', 'https://west.example.com/org'] }))).not.toThrow();
  });
  test('an entity id outside the permitted names is naming_constraint_violated', () => {
    expect(codeOf(() => assertConstraints(spec, below({ entityIds: ['https://rp.example.org'] })))).toBe('naming_constraint_violated');
    expect(codeOf(() => assertConstraints(spec, below({ entityIds: ['https://example.com'] })))).toBe('naming_constraint_violated');
  });
  test('an excluded name is refused even when permitted', () => {
    expect(codeOf(() => assertConstraints(spec, below({ entityIds: ['https://east.example.com'] })))).toBe('naming_constraint_violated');
  });
  test('the constraint applies to every entity below, not just the leaf', () => {
    const chain = [
      { sub: 'https://rp.example.com' },
      { sub: 'https://intermediate.example.net', constraints: undefined },
      { sub: 'https://org.example.com', constraints: { naming_constraints: { permitted: ['.example.com'] } } },
    ];
    expect(codeOf(() => assertChainConstraints(chain, ['openid_relying_party']))).toBe('naming_constraint_violated');
  });
  test('only excluded: everything else passes', () => {
    expect(() => assertConstraints({ naming_constraints: { excluded: ['.bad.example'] } }, below({ entityIds: ['https://good.example'] }))).not.toThrow();
    expect(codeOf(() => assertConstraints({ naming_constraints: { excluded: ['.bad.example'] } }, below({ entityIds: ['https://x.bad.example'] })))).toBe('naming_constraint_violated');
  });
  test('an entity id that is not a URL is refused', () => {
    expect(codeOf(() => assertConstraints(spec, below({ entityIds: ['not a url'] })))).toBe('naming_constraint_violated');
  });
  test('an empty or non-string list is a malformed statement', () => {
    expect(codeOf(() => assertConstraints({ naming_constraints: { permitted: [] } }, below()))).toBe('statement_malformed');
    expect(codeOf(() => assertConstraints({ naming_constraints: { excluded: [1] } } as never, below()))).toBe('statement_malformed');
  });
});

describe('allowed_entity_types (§ 6.2.3)', () => {
  test('passes when the leaf types are listed; federation_entity is always allowed', () => {
    expect(() => assertConstraints({ allowed_entity_types: ['openid_relying_party'] }, below({ leafEntityTypes: ['openid_relying_party', 'federation_entity'] }))).not.toThrow();
    expect(() => assertConstraints({ allowed_entity_types: [] }, below({ leafEntityTypes: ['federation_entity'] }))).not.toThrow();
  });
  test('entity_type_not_allowed when a needed type is not listed', () => {
    expect(codeOf(() => assertConstraints({ allowed_entity_types: ['openid_provider'] }, below()))).toBe('entity_type_not_allowed');
    expect(codeOf(() => assertConstraints({ allowed_entity_types: [] }, below()))).toBe('entity_type_not_allowed');
  });
  test('removeDisallowedEntityTypes drops what is not listed and keeps federation_entity', () => {
    const metadata = { openid_relying_party: { a: 1 }, openid_provider: { b: 2 }, federation_entity: { c: 3 } };
    expect(removeDisallowedEntityTypes(metadata, { allowed_entity_types: ['openid_relying_party'] })).toEqual({ openid_relying_party: { a: 1 }, federation_entity: { c: 3 } });
    expect(removeDisallowedEntityTypes(metadata, {})).toBe(metadata);
    expect(removeDisallowedEntityTypes(metadata, undefined)).toBe(metadata);
  });
});

test('constraint parameters we do not know are ignored', () => {
  expect(() => assertConstraints({ max_path_length: 1, future_constraint: true } as never, below())).not.toThrow();
});
