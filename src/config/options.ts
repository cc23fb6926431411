/**
 * Every deployment setting, in one place, documenting itself: name, environment variable, default
 * and meaning. `loadConfig` (config.ts) parses them; `scripts/config-table.ts` renders the README
 * table from this list, and a test keeps the README in step with it.
 */
export interface OptionSpec {
  readonly env: string;
  readonly default: string;
  readonly description: string;
}

export const providerOptions = {
  issuer: { env: 'ISSUER', default: 'http://localhost:3000', description: 'Issuer URL of the OpenID Provider (https in production). Its origin is the origin the card signs.' },
  port: { env: 'PORT', default: '3000', description: 'TCP port the provider listens on.' },
  host: { env: 'HOST', default: '0.0.0.0', description: 'Address the provider binds to.' },
  keysDir: { env: 'KEYS_DIR', default: 'keys', description: 'Directory with `jwks.json` (private signing/encryption JWKS, each key with a `kid`), `cookie-keys.json`, `pairwise-secret.json` and `federation-jwks.json` (the OpenID Federation keys) (docs/keys.md).' },
  generateKeys: { env: 'GENERATE_KEYS', default: 'true', description: 'Generate missing keys into KEYS_DIR at start (demo). Set `false` in production so a missing key is an error.' },
  pairwiseSecret: { env: 'PAIRWISE_SECRET', default: '', description: 'Secret (≥ 32 characters) from which each citizen\'s pairwise `sub` at each RP is derived; never rotate it (docs/keys.md). Empty: KEYS_DIR/`pairwise-secret.json`. A deployment that predates it keeps its subjects with the value of its last cookie key.' },
  clientsFile: { env: 'CLIENTS_FILE', default: '', description: 'JSON file with the statically registered relying parties (array of client metadata with `jwks`). Empty: no clients except those the demo registers.' },
  redisUrl: { env: 'REDIS_URL', default: '', description: 'Redis URL for all provider state (redis://, redis-sentinel://, redis-cluster://, and over TLS rediss://, rediss-sentinel://, rediss-cluster://; docs/storage.md). Empty: in-memory (single instance, lost on restart).' },
  redisTlsCa: { env: 'REDIS_TLS_CA', default: '', description: 'PEM file with the CA certificate(s) the Redis servers\' certificates must chain to (TLS URLs only). Empty: the public CAs built into Node.js.' },
  redisTlsCert: { env: 'REDIS_TLS_CERT', default: '', description: 'PEM client certificate for Redis servers that require mutual TLS (TLS URLs only; needs REDIS_TLS_KEY). Empty: none.' },
  redisTlsKey: { env: 'REDIS_TLS_KEY', default: '', description: 'PEM private key of REDIS_TLS_CERT.' },
  bridgeUrl: { env: 'BRIDGE_URL', default: 'http://127.0.0.1:3900', description: 'Where citizens run the card bridge (loopback). The provider sends the browser there with the challenge.' },
  trustAnchors: { env: 'CIE_TRUST_ANCHORS', default: 'var/pki/root-ca.pem', description: 'Comma-separated PEM/DER files or directories with the trusted CIE root CA certificate(s).' },
  intermediates: { env: 'CIE_INTERMEDIATES', default: 'var/pki/issuing-ca.pem', description: 'Comma-separated PEM/DER files or directories with the CIE issuing CA certificate(s).' },
  revocationMode: { env: 'CIE_REVOCATION', default: 'ocsp-then-crl', description: 'Revocation checking: `ocsp`, `crl`, `ocsp-then-crl`.' },
  revocationFailOpen: { env: 'CIE_REVOCATION_FAIL_OPEN', default: 'false', description: 'Accept a card when no revocation answer can be had. `false` (fail closed) is the safe default.' },
  ocspUrl: { env: 'CIE_OCSP_URL', default: '', description: 'OCSP responder to use instead of the one in the certificate AIA. Empty: from AIA.' },
  ocspCacheMaxAgeSeconds: { env: 'OCSP_CACHE_MAX_AGE', default: '300', description: 'Longest time a good OCSP answer (or a downloaded CRL) is reused, however late its nextUpdate (seconds): a card revoked or suspended is refused at most this long after. Also the most a returning card can go unchecked against the responder (docs/verification.md). 0: ask every time.' },
  requestObjectMaxLifetimeSeconds: { env: 'REQUEST_OBJECT_MAX_LIFETIME', default: '600', description: 'Longest lifetime of a request object, `exp` − `iat` (seconds); one issued in the future or living longer is refused. Also how long a request object without `exp` from an RP registered with `legacy_request_objects` is valid after its `iat`. Its single-use record is kept no longer (docs/profile.md).' },
  clientAssertionMaxLifetimeSeconds: { env: 'CLIENT_ASSERTION_MAX_LIFETIME', default: '300', description: 'Longest lifetime of a private_key_jwt client assertion, `exp` − `iat` and `exp` − now (seconds); its `jti` is kept for replay detection no longer.' },
  clockToleranceSeconds: { env: 'CLOCK_TOLERANCE', default: '15', description: 'Clock skew accepted on certificates, JWTs and OCSP answers (seconds).' },
  challengeTtlSeconds: { env: 'CHALLENGE_TTL', default: '300', description: 'Lifetime of a card challenge (seconds).' },
  sessionTtlSeconds: { env: 'SESSION_TTL', default: '3600', description: 'Provider session lifetime (seconds). Level 2/3 requests always need a fresh card login anyway.' },
  authorizationCodeTtlSeconds: { env: 'AUTHORIZATION_CODE_TTL', default: '60', description: 'Lifetime of an authorization code (seconds).' },
  accessTokenTtlSeconds: { env: 'ACCESS_TOKEN_TTL', default: '900', description: 'Lifetime of an access token (seconds); SPID-tested 15 minutes.' },
  idTokenTtlSeconds: { env: 'ID_TOKEN_TTL', default: '300', description: 'Lifetime of an ID token (seconds).' },
  refreshTokenTtlSeconds: { env: 'REFRESH_TOKEN_TTL', default: '2592000', description: 'Lifetime of a refresh token from each use (seconds); the profile caps it at 30 days.' },
  offlineConsentTtlSeconds: { env: 'OFFLINE_CONSENT_TTL', default: '31536000', description: 'How long an offline_access consent lasts (seconds); refresh tokens never outlive it.' },
  tokenSigningAlg: { env: 'TOKEN_SIGNING_ALG', default: 'RS256', description: 'Signature of the access and refresh token JWTs: `RS256` (what AgID\'s SPID checks require) or `ES256` (also in the CIE profile\'s list; about 10 times cheaper to sign, 3 times dearer to verify: docs/benchmarks.md).' },
  shutdownDelaySeconds: { env: 'SHUTDOWN_DELAY', default: '5', description: 'On SIGTERM, seconds during which `/readyz` answers 503 while requests are still served, so load balancers stop sending traffic before the listener closes; then in-flight requests get up to 10 s. Give the container at least this + 10 s to stop.' },
  trustProxy: { env: 'TRUST_PROXY', default: 'false', description: 'Trust X-Forwarded-* headers (set behind a TLS-terminating proxy).' },
  cardRequestsPerIp: { env: 'CARD_REQUESTS_PER_IP', default: '1200', description: 'Card requests (challenge, assertion, account-page sign-in) accepted per minute from one client address (IPv6: one /64), the address as TRUST_PROXY makes it; beyond it 429. Generous on purpose: many citizens can share one office or carrier NAT (docs/bridge.md). 0: no limit.' },
  cardChallengesPerInteraction: { env: 'CARD_CHALLENGES_PER_INTERACTION', default: '10', description: 'Card challenges one sign-in may ask for ("Entra con CIE", "Riprova"); beyond it 429 and the citizen starts again from the service. 0: no limit.' },
  cardFailuresPerInteraction: { env: 'CARD_FAILURES_PER_INTERACTION', default: '5', description: 'Refused card assertions one sign-in may have; then the citizen is told to start again from the service (429 for any further attempt). 0: no limit.' },
  operatorName: { env: 'OPERATOR_NAME', default: 'Ente gestore di esempio', description: 'Name of the body that runs this provider, in the institutional header of every citizen page (docs/ui.md).' },
  operatorUrl: { env: 'OPERATOR_URL', default: '', description: 'Home page of that body, linked from its name in the header. Empty: the name is not a link.' },
  legalNotesUrl: { env: 'LEGAL_NOTES_URL', default: '/note-legali', description: 'Footer link "Note legali" (an https URL, or a path on this provider). Default: the provider\'s own short page.' },
  privacyUrl: { env: 'PRIVACY_URL', default: '/privacy', description: 'Footer link "Privacy", the privacy notice (an https URL, or a path on this provider). Default: the provider\'s own page listing what it processes.' },
  accessibilityUrl: { env: 'ACCESSIBILITY_URL', default: '/accessibilita', description: 'Footer link "Dichiarazione di accessibilità", the AgID accessibility statement (an https URL, or a path on this provider). Default: the provider\'s own page.' },
  contactsUrl: { env: 'CONTACTS_URL', default: '/contatti', description: 'Footer link "Contatti" (an https URL, or a path on this provider). Default: the provider\'s page with the help desk below.' },
  helpDeskName: { env: 'HELP_DESK_NAME', default: 'Assistenza CIE del Ministero dell\'Interno', description: 'Help desk named on the contacts and lost-codes pages.' },
  helpDeskPhone: { env: 'HELP_DESK_PHONE', default: '06 4298 5699', description: 'Its telephone number. Empty: none shown.' },
  helpDeskEmail: { env: 'HELP_DESK_EMAIL', default: 'cie.cittadini@interno.it', description: 'Its e-mail address. Empty: none shown.' },
  federationTrustAnchors: { env: 'FEDERATION_TRUST_ANCHORS', default: '', description: 'JSON file listing the OpenID Federation trust anchors this provider trusts RPs through: `[{"entity_id", "jwks", "required_trust_marks", "legacy_request_objects"}]` (docs/federation.md). Empty: no automatic registration, only CLIENTS_FILE\'s RPs.' },
  federationAuthorityHints: { env: 'FEDERATION_AUTHORITY_HINTS', default: '', description: 'Comma-separated entity ids of this provider\'s superiors, published as `authority_hints`. Empty: the trust anchors of FEDERATION_TRUST_ANCHORS.' },
  federationTrustMarks: { env: 'FEDERATION_TRUST_MARKS', default: '', description: 'JSON file with this provider\'s own trust marks (`[{"trust_mark_type", "trust_mark"}]`), published in its entity configuration. Empty: those its superiors\' subordinate statements carry about it (docs/federation.md).' },
  federationOrganizationName: { env: 'FEDERATION_ORGANIZATION_NAME', default: 'Entra con CIE', description: 'Organisation name in the entity configuration (`federation_entity` and `openid_provider`).' },
  federationHomepageUri: { env: 'FEDERATION_HOMEPAGE_URI', default: '', description: 'Home page in the entity configuration. Empty: ISSUER.' },
  federationPolicyUri: { env: 'FEDERATION_POLICY_URI', default: '', description: 'Privacy policy page in the entity configuration. Empty: ISSUER + `/privacy`.' },
  federationLogoUri: { env: 'FEDERATION_LOGO_URI', default: '', description: 'SVG logo in the entity configuration (the profile requires SVG). Empty: the CIE logo this provider serves.' },
  federationContacts: { env: 'FEDERATION_CONTACTS', default: 'noreply@example.invalid', description: 'Comma-separated contacts in the entity configuration (the profile asks for the institutional PEC address).' },
  federationStatementLifetimeSeconds: { env: 'FEDERATION_STATEMENT_LIFETIME', default: '172800', description: 'Lifetime of this provider\'s entity configuration and resolve answers, `exp` − `iat` (seconds; 48 h as the reference implementation).' },
  federationFetchTimeoutMs: { env: 'FEDERATION_FETCH_TIMEOUT_MS', default: '4000', description: 'Longest wait for one federation fetch (an entity configuration, a subordinate statement, a trust-mark status), in milliseconds.' },
  federationFetchMaxBytes: { env: 'FEDERATION_FETCH_MAX_BYTES', default: '65536', description: 'Largest federation answer read, in bytes; a larger one is refused unread.' },
  federationResolveTimeoutMs: { env: 'FEDERATION_RESOLVE_TIMEOUT_MS', default: '10000', description: 'Longest time one trust-chain resolution may take, every fetch included (milliseconds).' },
  federationMaxAuthorityHints: { env: 'FEDERATION_MAX_AUTHORITY_HINTS', default: '2', description: 'Most `authority_hints` followed from one entity while building a chain.' },
  federationChainMaxAge: { env: 'FEDERATION_CHAIN_MAX_AGE', default: '86400', description: 'Longest time a resolved trust chain is used before it is resolved again, however late its statements expire (seconds; the profile asks members to refresh daily).' },
  federationTrustMarkStatusInterval: { env: 'FEDERATION_TRUST_MARK_STATUS_INTERVAL', default: '300', description: 'Longest time an RP trust mark\'s "active" status is reused before its issuer is asked again (seconds): a trust mark revoked at the anchor stops new logins at most this long after. 0: ask at every login.' },
  federationDisabledEntities: { env: 'FEDERATION_DISABLED_ENTITIES', default: '', description: 'File listing entity ids (one a line) the operator has disabled: their logins are refused whatever their trust chain. Re-read when it changes. Empty: none.' },
} as const satisfies Record<string, OptionSpec>;

export const bridgeOptions = {
  port: { env: 'BRIDGE_PORT', default: '3900', description: 'Loopback port of the card bridge.' },
  allowedOrigins: { env: 'BRIDGE_ALLOWED_ORIGINS', default: 'http://localhost:3000', description: 'Comma-separated origins of the providers the bridge will sign for.' },
  transport: { env: 'BRIDGE_TRANSPORT', default: 'pcsc', description: '`pcsc` (a real reader through pcscd) or `virtual` (the virtual card file BRIDGE_VIRTUAL_CARD, in-process).' },
  virtualCard: { env: 'BRIDGE_VIRTUAL_CARD', default: 'var/cards/demo-card.json', description: 'Card file used when BRIDGE_TRANSPORT=virtual.' },
  deviceAuthKeys: { env: 'BRIDGE_DEVICE_KEYS', default: 'var/device-auth.json', description: 'JSON file with the device-authentication (DAPP) keys: the ref-84 CA private key and the terminal key.' },
  readerName: { env: 'BRIDGE_READER', default: '', description: 'PC/SC reader to use. Empty: the first reader with a card.' },
  apduTimeoutMs: { env: 'BRIDGE_APDU_TIMEOUT_MS', default: '10000', description: 'Timeout of one card exchange (a pulled card gives an error, never a hang).' },
} as const satisfies Record<string, OptionSpec>;
