import { bridgeOptions, providerOptions, type OptionSpec } from './options.js';
import { CodedError } from '../shared/coded-error.js';
import { defaultLogLevel, isLogLevel, type LogLevel } from '../shared/logger.js';
import type { SiteSettings } from '../shared/site-settings.js';

/** Algorithms the access and refresh token JWTs may be signed with (TOKEN_SIGNING_ALG). */
export const TOKEN_SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type TokenSigningAlg = (typeof TOKEN_SIGNING_ALGS)[number];

export class ConfigError extends CodedError<'invalid_config'> {}

type Env = Readonly<Record<string, string | undefined>>;

export interface ProviderConfig {
  issuer: string;
  /** Origin of the issuer: what the card signs and what the verifier expects. */
  origin: string;
  port: number;
  host: string;
  keysDir: string;
  generateKeys: boolean;
  /** PAIRWISE_SECRET ('' = read KEYS_DIR/pairwise-secret.json). */
  pairwiseSecret: string;
  clientsFile: string;
  redisUrl: string;
  /** PEM file paths for the TLS Redis URLs ('' = not set); read and checked when connecting. */
  redisTls: { caFile: string; certFile: string; keyFile: string };
  /** The access registry (docs/registry.md): PostgreSQL at `databaseUrl`, or PGlite in `dir`. */
  registry: RegistryConfig;
  bridgeUrl: string;
  trustAnchors: string[];
  intermediates: string[];
  revocationMode: 'ocsp' | 'crl' | 'ocsp-then-crl';
  revocationFailOpen: boolean;
  ocspUrl: string;
  /** Longest reuse of a good OCSP answer or a CRL (seconds). */
  ocspCacheMaxAgeSeconds: number;
  clockToleranceSeconds: number;
  /** Longest lifetimes of request objects and client assertions (seconds; oidc/jwt-time-limits.ts). */
  jwtLifetimes: { requestObjectMaxLifetime: number; clientAssertionMaxLifetime: number };
  challengeTtlSeconds: number;
  sessionTtlSeconds: number;
  /** Token lifetimes (seconds); the oidc/ layer checks the profile's caps. */
  lifetimes: { authorizationCode: number; accessToken: number; idToken: number; refreshToken: number; offlineConsent: number };
  /** Signature of the access and refresh token JWTs. */
  tokenSigningAlg: TokenSigningAlg;
  /** On SIGTERM: how long /readyz answers 503 before the listener closes (seconds). */
  shutdownDelaySeconds: number;
  trustProxy: boolean;
  /** ALLOWED_HOSTS: lower-case host names, no port (oidc/issuer-host.ts). */
  allowedHosts: string[];
  /** Limits on the card endpoints (0 = off); interaction/card-rate-limits.ts applies them. */
  cardRateLimits: { requestsPerNetworkPerMinute: number; challengesPerInteraction: number; failuresPerInteraction: number };
  /** Lifetimes of the smartphone sign-in (seconds; sign-in/smartphone/smartphone-settings.ts), bounded, never the request's. */
  smartphone: { waitingSeconds: number; sessionSeconds: number; otpSeconds: number };
  /** How long a push or a level-2 QR waits for the CieID app (seconds; credentials/app-approvals.ts), bounded. */
  appApprovalTtlSeconds: number;
  /** OpenID Federation (docs/federation.md); the federation/ room reads the files these name. */
  federation: FederationConfig;
  /** The citizen pages' header and footer: operator, legal links, help desk (docs/ui.md). */
  site: SiteSettings;
  /** Logs and metrics (docs/operations.md). */
  observability: ObservabilityConfig;
  /** Levels 1 and 2 (docs/levels.md): mail, password hashing, second factor, limits, passkeys. */
  credentials: CredentialsConfig;
}

export interface CredentialsConfig {
  /** SMTP_URL ('' = the local outbox in memory). */
  smtpUrl: string;
  mailFrom: string;
  /** scrypt cost of new hashes (r = 8, p = 1). */
  scrypt: { logN: number; r: number; p: number };
  emailSecondFactor: boolean;
  /** 0 = off; per 10-minute window. */
  limits: { passwordAttemptsPerNetwork: number; codeMailsPerCitizen: number; passkeyCeremoniesPerNetwork: number; windowSeconds: number };
  /** WebAuthn relying party: the issuer's origin, its host as the RP id unless PASSKEY_RP_ID. */
  passkeys: { origin: string; rpId: string; rpName: string };
  /** Breached-password sources ('' = off); the room checks them at start (src/credentials/breached-passwords.ts). */
  breachedPasswords: { file: string; api: string; apiTimeoutMs: number };
}

export interface ObservabilityConfig {
  logLevel: LogLevel;
  /** The metrics endpoint (undefined = not served). */
  metrics: { port: number; host: string; token: string } | undefined;
}

export interface RegistryConfig {
  /** DATABASE_URL ('' = embedded PGlite in `dir`). */
  databaseUrl: string;
  /** DATABASE_OWNER_URL: the owner's role, for migrate/purge/checkpoint commands ('' = databaseUrl). */
  ownerUrl: string;
  dir: string;
  /** REGISTRY_KEY ('' = the newest encryption key of KEYS_DIR/registry-keys.json). */
  key: string;
  retentionMonths: number;
  /** Seconds between signed checkpoints and purges (0 = only on command). */
  checkpointIntervalSeconds: number;
}

export interface FederationConfig {
  /** FEDERATION_TRUST_ANCHORS file ('' = no automatic registration). */
  trustAnchorsFile: string;
  /** Superiors published as authority_hints ([] = the trust anchors'). */
  authorityHints: string[];
  /** FEDERATION_TRUST_MARKS file ('' = the trust marks the superiors' statements carry about us). */
  trustMarksFile: string;
  entity: { organizationName: string; homepageUri: string; policyUri: string; logoUri: string; contacts: string[] };
  statementLifetimeSeconds: number;
  fetchTimeoutMs: number;
  fetchMaxBytes: number;
  resolveTimeoutMs: number;
  maxAuthorityHints: number;
  chainMaxAgeSeconds: number;
  trustMarkStatusIntervalSeconds: number;
  /** FEDERATION_DISABLED_ENTITIES file ('' = none). */
  disabledEntitiesFile: string;
}

export interface BridgeConfig {
  port: number;
  allowedOrigins: string[];
  transport: 'pcsc' | 'virtual';
  virtualCard: string;
  deviceAuthKeys: string;
  readerName: string;
  apduTimeoutMs: number;
  /** BRIDGE_METRICS_PORT: the loopback metrics endpoint (undefined = not served, the default). */
  metricsPort?: number | undefined;
}

function raw(env: Env, spec: OptionSpec): string {
  return env[spec.env] ?? spec.default;
}

/** The access registry's records are kept 24 months (DM 8 settembre 2022 art. 13): no purge may keep less. */
export const MIN_RETENTION_MONTHS = 24;

function integer(env: Env, spec: OptionSpec, min: number, max: number): number {
  const text = raw(env, spec);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError('invalid_config', `${spec.env} must be an integer in [${min}, ${max}], got "${text}"`);
  }
  return value;
}

function boolean(env: Env, spec: OptionSpec): boolean {
  const text = raw(env, spec).toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ConfigError('invalid_config', `${spec.env} must be true or false, got "${text}"`);
}

function oneOf<T extends string>(env: Env, spec: OptionSpec, values: readonly T[]): T {
  const text = raw(env, spec);
  if (!(values as readonly string[]).includes(text)) {
    throw new ConfigError('invalid_config', `${spec.env} must be one of ${values.join(', ')}, got "${text}"`);
  }
  return text as T;
}

function list(env: Env, spec: OptionSpec): string[] {
  return raw(env, spec).split(',').map((s) => s.trim()).filter(Boolean);
}

/** Bare host names (a DNS name or an IP literal, IPv6 in brackets), lower case: no scheme, port or path. */
function hostNames(env: Env, spec: OptionSpec): string[] {
  return list(env, spec).map((name) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(`http://${name}`);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.host !== name.toLowerCase() || parsed.port !== '' || parsed.username !== '') {
      throw new ConfigError('invalid_config', `${spec.env} must list host names without scheme, port or path: "${name}"`);
    }
    return parsed.hostname;
  });
}

/** `scheme://host[:port]`, no path: the only form a Web origin has. */
export function originOf(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('invalid_config', `${name} is not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('invalid_config', `${name} must be an http(s) URL: "${url}"`);
  }
  return parsed.origin;
}

/** A link the pages show: an http(s) URL or a path on this provider, never `javascript:` or `//host`. */
function pageLink(env: Env, spec: OptionSpec): string {
  const value = raw(env, spec);
  if (/^\/(?![\/\\])/.test(value)) return value;
  if (/^https?:\/\//i.test(value)) {
    originOf(value, spec.env);
    return value;
  }
  throw new ConfigError('invalid_config', `${spec.env} must be an http(s) URL or a path starting with /: "${value}"`);
}

function logLevelOf(env: Env, spec: OptionSpec): LogLevel {
  const text = raw(env, spec);
  if (text === '') return defaultLogLevel(env);
  if (!isLogLevel(text)) throw new ConfigError('invalid_config', `${spec.env} must be one of fatal, error, warn, info, debug, trace, silent, got "${text}"`);
  return text;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Metrics on their own port; off the loopback only behind a bearer token long enough not to be guessed. */
function metricsOf(env: Env, o: typeof providerOptions): ObservabilityConfig['metrics'] {
  if (raw(env, o.metricsPort) === '') return undefined;
  const host = raw(env, o.metricsHost);
  const token = raw(env, o.metricsToken);
  if (token !== '' && token.length < 32) throw new ConfigError('invalid_config', `${o.metricsToken.env} must have at least 32 characters`);
  if (!LOOPBACK.has(host) && token === '') throw new ConfigError('invalid_config', `${o.metricsHost.env}=${host} is not loopback: set ${o.metricsToken.env} too`);
  return { port: integer(env, o.metricsPort, 0, 65535), host, token };
}

/** The passkeys' RP id must be the issuer's host or a registrable suffix of it (WebAuthn §5.1.4.1 via the browser). */
/** The QR's and the OTP's lives never outlast the session they belong to. */
function smartphoneOf(env: Env, o: typeof providerOptions): ProviderConfig['smartphone'] {
  const sessionSeconds = integer(env, o.smartphoneSessionTtlSeconds, 30, 1800);
  return {
    sessionSeconds,
    waitingSeconds: Math.min(integer(env, o.smartphoneQrTtlSeconds, 10, 600), sessionSeconds),
    otpSeconds: Math.min(integer(env, o.smartphoneOtpTtlSeconds, 10, 600), sessionSeconds),
  };
}

function credentialsOf(env: Env, o: typeof providerOptions, issuer: string): CredentialsConfig {
  const host = new URL(issuer).hostname;
  const rpId = raw(env, o.passkeyRpId) || host;
  if (rpId !== host && !host.endsWith(`.${rpId}`)) throw new ConfigError('invalid_config', `${o.passkeyRpId.env}=${rpId} must be ${host} or a suffix of it`);
  const smtpUrl = raw(env, o.smtpUrl);
  if (smtpUrl !== '' && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('invalid_config', `${o.smtpUrl.env} must be an smtp:// or smtps:// URL`);
  return {
    smtpUrl,
    mailFrom: raw(env, o.mailFrom),
    scrypt: { logN: integer(env, o.passwordHashCost, 10, 20), r: 8, p: 1 },
    emailSecondFactor: boolean(env, o.emailSecondFactor),
    limits: {
      passwordAttemptsPerNetwork: integer(env, o.passwordAttemptsPerIp, 0, 1_000_000),
      codeMailsPerCitizen: integer(env, o.codeMailsPerCitizen, 0, 1000),
      passkeyCeremoniesPerNetwork: integer(env, o.passkeyCeremoniesPerIp, 0, 1_000_000),
      windowSeconds: 600,
    },
    passkeys: { origin: originOf(issuer, o.issuer.env), rpId, rpName: raw(env, o.passkeyRpName) },
    breachedPasswords: { file: raw(env, o.breachedPasswordsFile), api: raw(env, o.breachedPasswordsApi), apiTimeoutMs: integer(env, o.breachedPasswordsApiTimeoutMs, 100, 10_000) },
  };
}

export function loadProviderConfig(env: Env = process.env): ProviderConfig {
  const o = providerOptions;
  const issuer = raw(env, o.issuer).replace(/\/+$/, '');
  return {
    issuer,
    origin: originOf(issuer, o.issuer.env),
    port: integer(env, o.port, 0, 65535),
    host: raw(env, o.host),
    keysDir: raw(env, o.keysDir),
    generateKeys: boolean(env, o.generateKeys),
    pairwiseSecret: raw(env, o.pairwiseSecret),
    clientsFile: raw(env, o.clientsFile),
    redisUrl: raw(env, o.redisUrl),
    redisTls: { caFile: raw(env, o.redisTlsCa), certFile: raw(env, o.redisTlsCert), keyFile: raw(env, o.redisTlsKey) },
    registry: {
      databaseUrl: raw(env, o.databaseUrl),
      ownerUrl: raw(env, o.databaseOwnerUrl),
      dir: raw(env, o.registryDir),
      key: raw(env, o.registryKey),
      // Never below the 24 months the records must be kept (DM 8 settembre 2022 art. 13).
      retentionMonths: integer(env, o.registryRetentionMonths, MIN_RETENTION_MONTHS, 1200),
      checkpointIntervalSeconds: integer(env, o.registryCheckpointInterval, 0, 7 * 86400),
    },
    bridgeUrl: raw(env, o.bridgeUrl).replace(/\/+$/, ''),
    trustAnchors: list(env, o.trustAnchors),
    intermediates: list(env, o.intermediates),
    revocationMode: oneOf(env, o.revocationMode, ['ocsp', 'crl', 'ocsp-then-crl'] as const),
    revocationFailOpen: boolean(env, o.revocationFailOpen),
    ocspUrl: raw(env, o.ocspUrl),
    ocspCacheMaxAgeSeconds: integer(env, o.ocspCacheMaxAgeSeconds, 0, 86400),
    clockToleranceSeconds: integer(env, o.clockToleranceSeconds, 0, 300),
    jwtLifetimes: {
      requestObjectMaxLifetime: integer(env, o.requestObjectMaxLifetimeSeconds, 10, 3600),
      clientAssertionMaxLifetime: integer(env, o.clientAssertionMaxLifetimeSeconds, 10, 3600),
    },
    challengeTtlSeconds: integer(env, o.challengeTtlSeconds, 30, 600),
    sessionTtlSeconds: integer(env, o.sessionTtlSeconds, 60, 30 * 86400),
    lifetimes: {
      authorizationCode: integer(env, o.authorizationCodeTtlSeconds, 1, 600),
      accessToken: integer(env, o.accessTokenTtlSeconds, 1, 86400),
      idToken: integer(env, o.idTokenTtlSeconds, 1, 86400),
      refreshToken: integer(env, o.refreshTokenTtlSeconds, 1, 30 * 86400),
      offlineConsent: integer(env, o.offlineConsentTtlSeconds, 1, 10 * 365 * 86400),
    },
    tokenSigningAlg: oneOf(env, o.tokenSigningAlg, TOKEN_SIGNING_ALGS),
    shutdownDelaySeconds: integer(env, o.shutdownDelaySeconds, 0, 300),
    trustProxy: boolean(env, o.trustProxy),
    allowedHosts: hostNames(env, o.allowedHosts),
    cardRateLimits: {
      requestsPerNetworkPerMinute: integer(env, o.cardRequestsPerIp, 0, 10_000_000),
      challengesPerInteraction: integer(env, o.cardChallengesPerInteraction, 0, 1000),
      failuresPerInteraction: integer(env, o.cardFailuresPerInteraction, 0, 1000),
    },
    smartphone: smartphoneOf(env, o),
    appApprovalTtlSeconds: integer(env, o.appApprovalTtlSeconds, 30, 300),
    site: {
      operatorName: raw(env, o.operatorName),
      operatorUrl: raw(env, o.operatorUrl) && pageLink(env, o.operatorUrl),
      links: { legalNotes: pageLink(env, o.legalNotesUrl), privacy: pageLink(env, o.privacyUrl), accessibility: pageLink(env, o.accessibilityUrl), contacts: pageLink(env, o.contactsUrl) },
      helpDesk: { name: raw(env, o.helpDeskName), phone: raw(env, o.helpDeskPhone), email: raw(env, o.helpDeskEmail) },
    },
    observability: { logLevel: logLevelOf(env, o.logLevel), metrics: metricsOf(env, o) },
    credentials: credentialsOf(env, o, issuer),
    federation: {
      trustAnchorsFile: raw(env, o.federationTrustAnchors),
      authorityHints: list(env, o.federationAuthorityHints),
      trustMarksFile: raw(env, o.federationTrustMarks),
      entity: {
        organizationName: raw(env, o.federationOrganizationName),
        homepageUri: raw(env, o.federationHomepageUri) || issuer,
        policyUri: raw(env, o.federationPolicyUri) || `${issuer}/privacy`,
        logoUri: raw(env, o.federationLogoUri) || `${issuer}/assets/cie/Logo_CIE_ID.svg`,
        contacts: list(env, o.federationContacts),
      },
      statementLifetimeSeconds: integer(env, o.federationStatementLifetimeSeconds, 60, 30 * 86400),
      fetchTimeoutMs: integer(env, o.federationFetchTimeoutMs, 100, 60_000),
      fetchMaxBytes: integer(env, o.federationFetchMaxBytes, 1024, 10 * 1024 * 1024),
      resolveTimeoutMs: integer(env, o.federationResolveTimeoutMs, 100, 120_000),
      maxAuthorityHints: integer(env, o.federationMaxAuthorityHints, 1, 16),
      chainMaxAgeSeconds: integer(env, o.federationChainMaxAge, 60, 7 * 86400),
      trustMarkStatusIntervalSeconds: integer(env, o.federationTrustMarkStatusInterval, 0, 86400),
      disabledEntitiesFile: raw(env, o.federationDisabledEntities),
    },
  };
}

export function loadBridgeConfig(env: Env = process.env): BridgeConfig {
  const o = bridgeOptions;
  return {
    port: integer(env, o.port, 0, 65535),
    allowedOrigins: list(env, o.allowedOrigins).map((origin) => originOf(origin, o.allowedOrigins.env)),
    transport: oneOf(env, o.transport, ['pcsc', 'virtual'] as const),
    virtualCard: raw(env, o.virtualCard),
    deviceAuthKeys: raw(env, o.deviceAuthKeys),
    readerName: raw(env, o.readerName),
    apduTimeoutMs: integer(env, o.apduTimeoutMs, 100, 120_000),
    metricsPort: raw(env, o.metricsPort) === '' ? undefined : integer(env, o.metricsPort, 0, 65535),
  };
}
