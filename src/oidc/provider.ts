import Provider, { interactionPolicy, type Configuration, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { ACR, acrLevel, acrValuesSupported } from './acr.js';
import { claimsByScope, supportedUserClaims } from './cie-claims.js';
import { contentEncryptionAlgs, keyEncryptionAlgs, signingAlgs } from './algorithms.js';
import { pairwiseSubject } from './pairwise.js';
import { assertCieRequestObject } from './request-object-rules.js';
import type { AccountStore } from './accounts.js';
import type { ProviderKeys } from './provider-keys.js';

export interface ProviderDeps {
  issuer: string;
  keys: ProviderKeys;
  clients: ClientMetadata[];
  accounts: AccountStore;
  clockToleranceSeconds: number;
  sessionTtlSeconds: number;
  /** oidc-provider adapter factory (Redis); undefined = the library's in-memory adapter. */
  adapter?: Configuration['adapter'];
  renderError: NonNullable<Configuration['renderError']>;
}

/**
 * Levels 2 and 3 never reuse an SSO session (cie-oidc-profile.md §5.1): unless the request asks
 * only for level 1, every authorization needs a fresh card login.
 */
function freshLoginCheck(): interactionPolicy.Check {
  const { Check } = interactionPolicy;
  return new Check('cie_fresh_login', 'levels 2 and 3 require a fresh authentication', (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
    const requested = String(ctx.oidc.params?.acr_values ?? ACR.L3).split(' ').filter(Boolean);
    const highest = Math.max(...requested.map(acrLevel), 1);
    return highest >= 2 ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
  });
}

function interactionPolicyForCie(): interactionPolicy.Prompt[] {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(freshLoginCheck());
  return policy;
}

/**
 * Scope → claims, plus every other releasable claim as a standalone entry. A claim that is also a
 * scope name (`email`) must not get a standalone entry: oidc-provider keys both in one object.
 */
function claimsConfiguration(): Configuration['claims'] {
  const inScopes = new Set<string>(Object.values(claimsByScope).flat());
  const standalone = supportedUserClaims.filter((claim) => !inScopes.has(claim) && !(claim in claimsByScope));
  return { acr: null, amr: null, sid: null, auth_time: null, iss: null, ...claimsByScope, ...Object.fromEntries(standalone.map((c) => [c, null])) } as Configuration['claims'];
}

export function createProvider(deps: ProviderDeps): Provider {
  const pairwiseSalt = deps.keys.cookieKeys[deps.keys.cookieKeys.length - 1]!;
  const configuration: Configuration = {
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    clients: deps.clients,
    jwks: deps.keys.jwks as Configuration['jwks'],
    cookies: {
      keys: deps.keys.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    clockTolerance: deps.clockToleranceSeconds,
    acrValues: acrValuesSupported,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: claimsConfiguration(),
    // CIE: attributes requested by scope go into the ID token too (cie-oidc-profile.md §2.3).
    conformIdTokenClaims: false,
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSubject(pairwiseSalt, accountId, client.clientId),
    responseTypes: ['code'],
    clientAuthMethods: ['private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'RS256',
      subject_type: 'pairwise',
    },
    pkce: { required: () => true },
    enabledJWA: {
      idTokenSigningAlgValues: signingAlgs,
      userinfoSigningAlgValues: signingAlgs,
      requestObjectSigningAlgValues: signingAlgs,
      clientAuthSigningAlgValues: signingAlgs,
      introspectionSigningAlgValues: signingAlgs,
      authorizationSigningAlgValues: signingAlgs,
      idTokenEncryptionAlgValues: keyEncryptionAlgs,
      idTokenEncryptionEncValues: contentEncryptionAlgs,
      userinfoEncryptionAlgValues: keyEncryptionAlgs,
      userinfoEncryptionEncValues: contentEncryptionAlgs,
      requestObjectEncryptionAlgValues: keyEncryptionAlgs,
      requestObjectEncryptionEncValues: contentEncryptionAlgs,
      introspectionEncryptionAlgValues: keyEncryptionAlgs,
      introspectionEncryptionEncValues: contentEncryptionAlgs,
      authorizationEncryptionAlgValues: keyEncryptionAlgs,
      authorizationEncryptionEncValues: contentEncryptionAlgs,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      encryption: { enabled: true },
      jwtUserinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      resourceIndicators: { enabled: false },
      requestObjects: {
        enabled: true,
        requireSignedRequestObject: true,
        assertJwtClaimsAndHeader: async (_ctx, claims, _header, client) => {
          assertCieRequestObject(claims as Record<string, unknown>, client.clientId, deps.issuer);
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: interactionPolicyForCie(),
    },
    findAccount: async (_ctx, accountId) => {
      const claims = await deps.accounts.claimsOf(accountId);
      if (!claims) return undefined;
      return { accountId, claims: async () => ({ ...claims, sub: accountId }) };
    },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 900,
      IdToken: 300,
      Interaction: 1800,
      Session: deps.sessionTtlSeconds,
      Grant: deps.sessionTtlSeconds,
      RefreshToken: 30 * 86400,
    },
    renderError: deps.renderError,
  };
  return new Provider(deps.issuer, configuration);
}
