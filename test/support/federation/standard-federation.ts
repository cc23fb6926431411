import { TrustChainResolver, type TrustChainResolverOptions } from '../../../src/federation/trust-chain-resolver.js';
import { TestFederation } from './test-federation.js';

export const TA = 'https://ta.example';
export const INTERMEDIATE = 'https://intermediate.example';
export const RP = 'https://rp.example';
/** A trust mark issuer other than the anchor. */
export const ISSUER = 'https://marks.example';
export const RP_PUBLIC = `${TA}/openid_relying_party/public/`;

export const RP_METADATA = {
  openid_relying_party: {
    client_id: RP,
    client_name: 'Test RP',
    redirect_uris: [`${RP}/callback`],
    response_types: ['code', 'token'],
    grant_types: ['authorization_code', 'refresh_token', 'implicit'],
    token_endpoint_auth_method: 'private_key_jwt',
    client_registration_types: ['automatic'],
    jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'rp-core' }] },
  },
};

export interface StandardOptions {
  /** The RP sits under an intermediate (default: directly under the anchor). */
  intermediate?: boolean;
  /** The anchor requires RP_PUBLIC and the RP holds one, issued by the anchor (default true). */
  trustMark?: boolean;
}

/**
 * TA → [intermediate →] RP: the anchor's policy narrows response_types and grant_types, the
 * intermediate's adds a contact; the RP holds the anchor's RP_PUBLIC trust mark. Tests change
 * entities, statements and overrides afterwards.
 */
export async function standardFederation(options: StandardOptions = {}): Promise<TestFederation> {
  const federation = new TestFederation();
  const superior = options.intermediate ? INTERMEDIATE : TA;
  await federation.addEntity(TA, { extraClaims: { trust_mark_issuers: { [RP_PUBLIC]: [TA, ISSUER] } } });
  await federation.addEntity(RP, { authorityHints: [superior], metadata: structuredClone(RP_METADATA) });
  federation.enroll(superior, RP);
  if (options.intermediate) {
    await federation.addEntity(INTERMEDIATE, { authorityHints: [TA] });
    federation.enroll(TA, INTERMEDIATE, {
      extraClaims: { metadata_policy: { openid_relying_party: { response_types: { value: ['code'] }, grant_types: { subset_of: ['authorization_code', 'refresh_token'] } } } },
    });
    federation.subordinates.get(`${INTERMEDIATE} ${RP}`)!.extraClaims = { metadata_policy: { openid_relying_party: { contacts: { add: ['ops@intermediate.example'] } } } };
  } else {
    federation.subordinates.get(`${TA} ${RP}`)!.extraClaims = {
      metadata_policy: { openid_relying_party: { response_types: { value: ['code'] }, grant_types: { subset_of: ['authorization_code', 'refresh_token'] } } },
    };
  }
  if (options.trustMark !== false) federation.entity(RP).trustMarks = [await federation.trustMark(TA, RP, RP_PUBLIC)];
  return federation;
}

/** A resolver over the federation's fetcher and clock; `logs` receives its log lines. */
export function resolverFor(federation: TestFederation, options: Partial<TrustChainResolverOptions> & { required?: string[] } = {}): { resolver: TrustChainResolver; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const required = options.required ?? (federation.entity(RP).trustMarks.length ? [RP_PUBLIC] : []);
  const resolver = new TrustChainResolver({
    anchors: [federation.anchorSetting(TA, required)],
    fetcher: federation.fetcher,
    limits: { resolveTimeoutMs: 5000, maxAuthorityHints: 2 },
    clockTolerance: 30,
    now: () => federation.now,
    log: (line) => logs.push(line),
    ...options,
  });
  return { resolver, logs };
}
