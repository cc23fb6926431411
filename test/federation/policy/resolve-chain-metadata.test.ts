import type { MetadataPolicy } from '../../../src/federation/entity-statement.js';
import { combinePolicies } from '../../../src/federation/policy/combine-policies.js';
import { resolveChainMetadata } from '../../../src/federation/policy/resolve-chain-metadata.js';
import { codeOf } from './policy-test-helpers.js';

const RP = 'openid_relying_party';

// OpenID Federation 1.0 § 6.1.5 "Metadata Policy Example": the trust anchor's policy, the
// intermediate's policy and metadata, the leaf RP's metadata, and the published results.
const anchorPolicy: MetadataPolicy = {
  [RP]: {
    grant_types: { default: ['authorization_code'], subset_of: ['authorization_code', 'refresh_token'], superset_of: ['authorization_code'] },
    token_endpoint_auth_method: { one_of: ['private_key_jwt', 'self_signed_tls_client_auth'], essential: true },
    token_endpoint_auth_signing_alg: { one_of: ['PS256', 'ES256'] },
    subject_type: { value: 'pairwise' },
    contacts: { add: ['helpdesk@federation.example.org'] },
  },
};
const intermediateStatement = {
  metadata_policy: {
    [RP]: {
      grant_types: { subset_of: ['authorization_code'] },
      token_endpoint_auth_method: { one_of: ['self_signed_tls_client_auth'] },
      contacts: { add: ['helpdesk@org.example.org'] },
    },
  },
  metadata: { [RP]: { sector_identifier_uri: 'https://org.example.org/sector-ids.json', policy_uri: 'https://org.example.org/policy.html' } },
};
const leafMetadata = {
  [RP]: {
    redirect_uris: ['https://rp.example.org/callback'],
    response_types: ['code'],
    token_endpoint_auth_method: 'self_signed_tls_client_auth',
    contacts: ['rp_admins@rp.example.org'],
  },
};

describe('the worked example of the spec (§ 6.1.5)', () => {
  test('merging the intermediate policy into the anchor policy gives the published merged policy', () => {
    expect(combinePolicies(anchorPolicy, intermediateStatement.metadata_policy)[RP]).toEqual({
      grant_types: { default: ['authorization_code'], superset_of: ['authorization_code'], subset_of: ['authorization_code'] },
      token_endpoint_auth_method: { one_of: ['self_signed_tls_client_auth'], essential: true },
      token_endpoint_auth_signing_alg: { one_of: ['PS256', 'ES256'] },
      subject_type: { value: 'pairwise' },
      contacts: { add: ['helpdesk@federation.example.org', 'helpdesk@org.example.org'] },
    });
  });

  test('the resolved RP metadata is the published one, contacts in the published order', () => {
    const resolved = resolveChainMetadata(leafMetadata, [{ metadata_policy: anchorPolicy }, intermediateStatement]);
    expect(resolved[RP]).toEqual({
      redirect_uris: ['https://rp.example.org/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      subject_type: 'pairwise',
      sector_identifier_uri: 'https://org.example.org/sector-ids.json',
      policy_uri: 'https://org.example.org/policy.html',
      contacts: ['rp_admins@rp.example.org', 'helpdesk@federation.example.org', 'helpdesk@org.example.org'],
    });
  });
});

describe('the immediate superior metadata claim', () => {
  test('overrides the leaf parameters of the same name before the policy is applied', () => {
    const resolved = resolveChainMetadata(
      { [RP]: { client_name: 'Leaf says', token_endpoint_auth_method: 'client_secret_basic' } },
      [{ metadata_policy: { [RP]: { token_endpoint_auth_method: { one_of: ['private_key_jwt'] } } } }, { metadata: { [RP]: { token_endpoint_auth_method: 'private_key_jwt' } } }],
    );
    expect(resolved[RP]).toEqual({ client_name: 'Leaf says', token_endpoint_auth_method: 'private_key_jwt' });
  });
  test('only the immediate superior counts: metadata in a higher statement is not applied to the leaf', () => {
    const resolved = resolveChainMetadata({ [RP]: { client_name: 'Leaf' } }, [{ metadata: { [RP]: { client_name: 'Anchor' } } }, {}]);
    expect(resolved[RP]).toEqual({ client_name: 'Leaf' });
  });
  test('with no metadata_policy in the chain the result is the leaf metadata with the superior metadata applied', () => {
    expect(resolveChainMetadata({ [RP]: { a: 1 } }, [{ metadata: { [RP]: { b: 2 } } }])).toEqual({ [RP]: { a: 1, b: 2 } });
  });
  test('leaf metadata whose entity type is not a JSON object is refused (statement_malformed)', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: 'abc' } as never, [{ metadata: { [RP]: { a: 1 } } }]))).toBe('statement_malformed');
  });
  test('a null metadata value in the superior statement is refused (statement_malformed)', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: { a: 1 } }, [{ metadata: { [RP]: { a: null } } }]))).toBe('statement_malformed');
  });
});

describe('unknown operators and metadata_policy_crit', () => {
  const withUnknown = { [RP]: { client_name: { regexp: '^A', essential: true } } } as MetadataPolicy;
  test('an unknown operator not listed in metadata_policy_crit is ignored', () => {
    expect(resolveChainMetadata({ [RP]: { client_name: 'Zed' } }, [{ metadata_policy: withUnknown }])[RP]).toEqual({ client_name: 'Zed' });
    expect(combinePolicies({}, withUnknown)[RP]).toEqual({ client_name: { essential: true } });
  });
  test('an unknown operator listed in metadata_policy_crit makes the chain invalid (policy_invalid)', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: { client_name: 'Zed' } }, [{ metadata_policy: withUnknown, metadata_policy_crit: ['regexp'] }]))).toBe('policy_invalid');
  });
  test('a critical operator we do not implement is refused even when the policy does not use it (§ 3.1.3)', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: {} }, [{ metadata_policy_crit: ['intersects'] }, {}]))).toBe('policy_invalid');
  });
  test('metadata_policy_crit must be a non-empty array of names', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: {} }, [{ metadata_policy_crit: [] }]))).toBe('policy_invalid');
    expect(codeOf(() => resolveChainMetadata({ [RP]: {} }, [{ metadata_policy_crit: 'regexp' }]))).toBe('policy_invalid');
  });
  test('standard operators listed as critical are understood', () => {
    expect(resolveChainMetadata({ [RP]: { a: 'x' } }, [{ metadata_policy: { [RP]: { a: { one_of: ['x'] } } }, metadata_policy_crit: ['one_of'] }])).toEqual({ [RP]: { a: 'x' } });
  });
});

describe('policy errors make the chain invalid', () => {
  test('value null removes a leaf parameter', () => {
    const resolved = resolveChainMetadata({ [RP]: { logo_uri: 'https://rp/logo.png', client_name: 'RP' } }, [{ metadata_policy: { [RP]: { logo_uri: { value: null } } } }]);
    expect(resolved[RP]).toEqual({ client_name: 'RP' });
  });
  test('an essential parameter missing from the leaf is a metadata_policy_violation', () => {
    expect(codeOf(() => resolveChainMetadata({ [RP]: { client_name: 'RP' } }, [{ metadata_policy: { [RP]: { jwks: { essential: true } } } }]))).toBe('metadata_policy_violation');
  });
  test('an essential parameter the immediate superior supplies in its metadata passes', () => {
    const jwks = { keys: [{ kty: 'EC', kid: 'k' }] };
    expect(resolveChainMetadata({ [RP]: {} }, [{ metadata_policy: { [RP]: { jwks: { essential: true } } } }, { metadata: { [RP]: { jwks } } }])[RP]).toEqual({ jwks });
  });
  test('an intermediate contradicting the anchor is a policy_conflict', () => {
    const statements = [{ metadata_policy: { [RP]: { id_token_signed_response_alg: { value: 'ES256' } } } }, { metadata_policy: { [RP]: { id_token_signed_response_alg: { value: 'RS256' } } } }];
    expect(codeOf(() => resolveChainMetadata({ [RP]: {} }, statements))).toBe('policy_conflict');
  });
  test('three statements merge top-down (anchor, intermediate, intermediate)', () => {
    const statements = [
      { metadata_policy: { [RP]: { grant_types: { subset_of: ['authorization_code', 'refresh_token', 'implicit'] } } } },
      { metadata_policy: { [RP]: { grant_types: { subset_of: ['authorization_code', 'refresh_token'] } } } },
      { metadata_policy: { [RP]: { grant_types: { superset_of: ['authorization_code'] } } } },
    ];
    expect(resolveChainMetadata({ [RP]: { grant_types: ['implicit', 'authorization_code'] } }, statements)[RP]).toEqual({ grant_types: ['authorization_code'] });
  });
});

describe('allowed_entity_types (§ 6.2.3)', () => {
  test('entity types the chain does not allow are removed before the policy; federation_entity stays', () => {
    const leaf = { [RP]: { a: 1 }, openid_provider: { issuer: 'x' }, federation_entity: { organization_name: 'Org' } };
    const statements = [{ constraints: { allowed_entity_types: [RP] }, metadata_policy: { openid_provider: { issuer: { essential: true } } } }];
    expect(resolveChainMetadata(leaf, statements)).toEqual({ [RP]: { a: 1 }, federation_entity: { organization_name: 'Org' } });
  });
  test('an empty allowed_entity_types keeps only federation_entity', () => {
    expect(resolveChainMetadata({ [RP]: { a: 1 }, federation_entity: {} }, [{ constraints: { allowed_entity_types: [] } }])).toEqual({ federation_entity: {} });
  });
});

describe('member names from statements never reach object prototypes', () => {
  test('a policy for an entity type or parameter named __proto__ is policy_invalid', () => {
    const policy = JSON.parse('{"__proto__": {"x": {"value": 1}}}') as MetadataPolicy;
    expect(codeOf(() => combinePolicies({}, policy))).toBe('policy_invalid');
    const parameter = JSON.parse('{"openid_relying_party": {"__proto__": {"value": 1}}}') as MetadataPolicy;
    expect(codeOf(() => combinePolicies({}, parameter))).toBe('policy_invalid');
  });
  test('names like constructor are ordinary names: merged and applied as own members only', () => {
    const merged = combinePolicies({ constructor: { toString: { add: ['a'] } } }, { constructor: { toString: { add: ['b'] } } });
    expect(merged.constructor).toEqual({ toString: { add: ['a', 'b'] } });
    expect(resolveChainMetadata({ [RP]: {} }, [{ metadata_policy: { [RP]: { constructor: { default: 'x' } } } }])[RP]).toEqual({ constructor: 'x' });
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
  });
  test('superior metadata with a __proto__ member is statement_malformed', () => {
    const metadata = JSON.parse('{"openid_relying_party": {"__proto__": {"polluted": true}}}') as Record<string, Record<string, unknown>>;
    expect(codeOf(() => resolveChainMetadata({ [RP]: {} }, [{ metadata }]))).toBe('statement_malformed');
  });
});
