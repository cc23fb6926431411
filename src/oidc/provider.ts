import type { Middleware } from 'koa';
import Provider, { interactionPolicy, type Configuration, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { routeMatcher, type RequestLine, type RouteMethod } from './route-match.js';
import { ACR, acrLevel, acrValuesSupported } from './acr.js';
import { claimsByScope, supportedUserClaims } from './cie-claims.js';
import { contentEncryptionAlgs, keyEncryptionAlgs, signingAlgs } from './algorithms.js';
import { pairwiseSubject } from './pairwise.js';
import { grantsOfflineAccess } from './offline-access-scope.js';
import { rememberUnverifiedClaims, verifiedRequestObjectRules } from './request-object-verification.js';
import { jarOuterParameters } from './jar-outer-parameters.js';
import { acceptIssuerSpellingsInRequestObjects } from './request-object-audience.js';
import { assertExtraClientMetadata, extraClientMetadataProperties } from './extra-client-metadata.js';
import { clientAssertionTimeRules } from './client-assertion-rules.js';
import { DEFAULT_CLIENT_ASSERTION_MAX_LIFETIME, DEFAULT_REQUEST_OBJECT_MAX_LIFETIME, replayTtlCap, type JwtTimeLimits } from './jwt-time-limits.js';
import { applyIdTokenProfile } from './id-token-profile.js';
import { profileDiscoveryFields, publicJwks } from './discovery-profile.js';
import { profileResponses } from './profile-responses.js';
import { rememberDiscoveryFields } from './discovery-metadata.js';
import { responseHeaders } from './response-headers.js';
import { userinfoContentType } from './userinfo-content-type.js';
import { issuerHost, type IssuerHostOptions } from './issuer-host.js';
import { shareLibraryRequestStorage } from './library-request-storage.js';
import { tokenLifetimes, type TokenLifetimes } from './token-lifetimes.js';
import { cieRevocationPolicy } from './revocation-policy.js';
import { authorizationPostAsGet } from './authorization-post-as-get.js';
import { applyJwtTokens } from './jwt-tokens.js';
import { applySingleInsertReplayDetection } from './replay-detection.js';
import { jwtTokenRequests } from './jwt-token-requests.js';
import { applySpentTokenRules, spentRefreshTokenFinder } from './spent-tokens.js';
import { assertRefreshRedirectUri } from './refresh-redirect-uri.js';
import { createMemoryAdapterFactory } from '../storage/adapters/memory-adapter.js';
import { CookieSigner } from './cookie-signer.js';
import type { TokenSigningAlg } from '../config/config.js';
import type { AccountStore } from './accounts.js';
import type { ProviderKeys } from './provider-keys.js';

export interface ProviderDeps {
  issuer: string;
  keys: ProviderKeys;
  clients: ClientMetadata[];
  accounts: AccountStore;
  clockToleranceSeconds: number;
  sessionTtlSeconds: number;
  /** oidc-provider adapter factory (Redis); undefined = this project's in-memory adapter. */
  adapter?: Configuration['adapter'];
  renderError: NonNullable<Configuration['renderError']>;
  /** Token lifetimes; default: the profile's (token-lifetimes.ts). */
  lifetimes?: Partial<TokenLifetimes>;
  /** Signature of the access and refresh token JWTs (default RS256). */
  tokenSigningAlg?: TokenSigningAlg;
  /** Longest lifetimes of request objects and client assertions (jwt-time-limits.ts defaults). */
  jwtLifetimes?: Partial<Pick<JwtTimeLimits, 'requestObjectMaxLifetime' | 'clientAssertionMaxLifetime'>>;
  /**
   * Runs around everything else (storage-guard.ts in the provider app): a storage outage anywhere
   * in a request, the spending of tokens at its very end included, must reach it.
   */
  outermost?: Middleware;
  /** RPs are also registered automatically through a trust anchor (discovery says so: discovery-profile.ts). */
  automaticRegistration?: boolean;
  /** Names besides the issuer's and loopback the provider answers under, and paths any Host may ask (issuer-host.ts). */
  hosts?: Pick<IssuerHostOptions, 'allowedHosts' | 'anyHostPaths'>;
}

/**
 * Whether oidc-provider serves POST to the authorization endpoint itself. It insists on SameSite=None
 * session cookies for that, and browsers keep None only when Secure: so only for an https issuer.
 * Over http cookies stay SameSite=Lax and authorizationPostAsGet answers a POST (a 303 to the same
 * request as GET): the cross-site POST carries no Lax cookie yet needs none, since levels 2 and 3
 * always log in afresh (test/browser/cross-site-post.browser.test.ts).
 */
export function authorizationPostEnabled(issuer: string): boolean {
  return new URL(issuer).protocol === 'https:';
}

const sameClient = (_ctx: KoaContextWithOIDC, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId;

/**
 * Levels 2 and 3 never reuse an SSO session (SPID/CIE OIDC guidelines: acr levels — docs/references.md): unless the request asks
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
  // Its own secret, never a cookie key: rotating cookie keys must not change any citizen's `sub`.
  const pairwiseSalt = deps.keys.pairwiseSecret;
  const lifetimes = tokenLifetimes(deps.lifetimes);
  const postEnabled = authorizationPostEnabled(deps.issuer);
  const jwtLimits: JwtTimeLimits = {
    requestObjectMaxLifetime: deps.jwtLifetimes?.requestObjectMaxLifetime ?? DEFAULT_REQUEST_OBJECT_MAX_LIFETIME,
    clientAssertionMaxLifetime: deps.jwtLifetimes?.clientAssertionMaxLifetime ?? DEFAULT_CLIENT_ASSERTION_MAX_LIFETIME,
    clockTolerance: deps.clockToleranceSeconds,
  };
  const configuration: Configuration = {
    // This project's adapters, never the library's: spent-tokens.ts needs destroyAllOfGrant, and
    // replay-detection.ts their insert-only-if-absent ReplayDetection.
    adapter: deps.adapter ?? createMemoryAdapterFactory({ clockToleranceSeconds: deps.clockToleranceSeconds }),
    clients: deps.clients,
    jwks: deps.keys.jwks as Configuration['jwks'],
    cookies: {
      keys: new CookieSigner(deps.keys.cookieKeys),
      long: { signed: true, httpOnly: true, sameSite: postEnabled ? 'none' : 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    enableHttpPostMethods: postEnabled,
    // The profile requires redirect_uri in the request object; never guess it (§2.2).
    allowOmittingSingleRegisteredRedirectUri: false,
    clockTolerance: deps.clockToleranceSeconds,
    acrValues: acrValuesSupported,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: claimsConfiguration(),
    // CIE: attributes requested by scope go into the ID token too (SPID/CIE OIDC guidelines: scope vs claims — docs/references.md).
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
    // Refresh tokens only for offline_access, which oidc-provider keeps only with prompt=consent and
    // the consent route grants only when the citizen opts in (§3.4); always rotated.
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: (ctx) => {
      // The refresh grant's last check before spending the token (DOCS-PR: redirect_uri on refresh).
      assertRefreshRedirectUri(ctx);
      return true;
    },
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
      revocation: { enabled: true, allowedPolicy: cieRevocationPolicy },
      // Only the client a token was issued to sees it active (§3.6).
      introspection: { enabled: true, allowedPolicy: sameClient },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      resourceIndicators: { enabled: false },
      requestObjects: {
        enabled: true,
        requireSignedRequestObject: true,
        // Runs before the signature is verified: it only remembers the claims (request-object-verification.ts).
        assertJwtClaimsAndHeader: (ctx, claims) => rememberUnverifiedClaims(ctx, claims as Record<string, unknown>),
      },
    },
    // The profile's request-object rules run once the request object verified: the library runs
    // extraParams validators after all its own checks (request-object-verification.ts).
    extraParams: { request: verifiedRequestObjectRules(deps.issuer, jwtLimits) },
    assertJwtClientAuthClaimsAndHeader: clientAssertionTimeRules(jwtLimits),
    extraClientMetadata: {
      properties: extraClientMetadataProperties,
      validator: (_ctx, key, value) => assertExtraClientMetadata(key, value),
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: interactionPolicyForCie(),
    },
    findAccount: async (_ctx, accountId, token) => {
      // A token of an offline grant may outlive the login's account record (accounts.ts).
      const offline = token && 'scope' in token && typeof token.scope === 'string' && token.scope.split(' ').includes('offline_access');
      const claims = await deps.accounts.claimsOf(accountId, offline ? token.grantId : undefined);
      if (!claims) return undefined;
      return { accountId, claims: async () => ({ ...claims, sub: accountId }) };
    },
    ttl: {
      AuthorizationCode: lifetimes.authorizationCode,
      AccessToken: lifetimes.accessToken,
      IdToken: lifetimes.idToken,
      Interaction: 1800,
      Session: deps.sessionTtlSeconds,
      // An offline grant must outlive the refresh tokens rotated from it.
      Grant: (_ctx, grant) => (grantsOfflineAccess(grant) ? lifetimes.offlineConsent : deps.sessionTtlSeconds),
      RefreshToken: lifetimes.refreshToken,
    },
    renderError: deps.renderError,
  };
  const provider = new Provider(deps.issuer, configuration);
  // The request id and per-request slots ride in the library's own async store (library-request-storage.ts).
  shareLibraryRequestStorage();
  if (deps.outermost) provider.use(deps.outermost);
  provider.use(responseHeaders({ strictTransportSecurity: new URL(deps.issuer).protocol === 'https:' }));
  // Before anything builds a URL: the library's come from the request's Host, ours from ISSUER; both must be ISSUER's.
  provider.use(issuerHost({ issuer: deps.issuer, ...deps.hosts }));
  // The path the library's router matches (ctx.path inside the provider app), without the issuer's path.
  const authorizationRoute = provider.pathFor('authorization', { mountPath: '' });
  if (!postEnabled) provider.use(authorizationPostAsGet(authorizationRoute, new URL(provider.urlFor('authorization')), deps.renderError));
  provider.use(jarOuterParameters(authorizationRoute, deps.renderError));
  acceptIssuerSpellingsInRequestObjects(provider);
  applyIdTokenProfile(provider);
  applyJwtTokens(provider, { jwks: deps.keys.jwks, alg: deps.tokenSigningAlg, subjectFor: (accountId, clientId) => pairwiseSubject(pairwiseSalt, accountId, clientId), findSpentRefreshToken: spentRefreshTokenFinder(provider) });
  applySpentTokenRules(provider);
  applySingleInsertReplayDetection(provider, replayTtlCap(jwtLimits));
  provider.use(jwtTokenRequests([provider.pathFor('introspection'), provider.pathFor('revocation')]));
  const discoveryFields = profileDiscoveryFields(publicJwks(deps.keys.jwks), { automaticRegistration: deps.automaticRegistration === true });
  rememberDiscoveryFields(provider, discoveryFields);
  const routeOf = (name: Parameters<Provider['pathFor']>[0], methods: readonly RouteMethod[]) => routeMatcher(provider.pathFor(name, { mountPath: '' }), methods);
  // The library serves its discovery document at both well-known names (OpenID Connect Discovery 1.0 §4, RFC 8414 §3); pathFor names one.
  const discovery = (request: RequestLine) => openidDiscovery(request) || oauthDiscovery(request);
  const openidDiscovery = routeMatcher('/.well-known/openid-configuration', ['GET']);
  const oauthDiscovery = routeMatcher('/.well-known/oauth-authorization-server', ['GET']);
  const introspection = routeOf('introspection', ['POST']);
  provider.use(profileResponses(discoveryFields, (request) => discovery(request) || introspection(request)));
  provider.use(userinfoContentType(routeOf('userinfo', ['GET', 'POST'])));
  return provider;
}
