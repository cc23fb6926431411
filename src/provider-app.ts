import type Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { ClientMetadata, Configuration } from 'oidc-provider';
import type { ProviderConfig } from './config/config.js';
import { accountRoutes } from './account/account-routes.js';
import { AccountSessions } from './account/account-sessions.js';
import { outboxPageAllowed } from './account/credentials/outbox-page-allowed.js';
import { OfflineAccessRegistry } from './account/offline-access.js';
import { ChallengeStore } from './cie/challenge-store.js';
import { loadCertificates } from './cie/trust-anchors.js';
import { createCieLoginVerifier, createProviderAssertionVerifier } from './sign-in/card/cie-login-verifier.js';
import { appAssertionVerifier } from './sign-in/app-assertion-verifier.js';
import { createSmartphoneSignIn } from './sign-in/smartphone/smartphone-sign-in.js';
import { createAppApprovalSignIn } from './sign-in/app-approval/app-approval-sign-in.js';
import { AppApprovals } from './credentials/app-approvals.js';
import { pullOnlyNotifier } from './credentials/app-notifier.js';
import { isSmartphonePage } from './sign-in/smartphone/smartphone-routes.js';
import { clientName } from './interaction/load-interaction.js';
import { createCardRateLimits } from './sign-in/card/card-rate-limits.js';
import { CardRecoveryTickets } from './sign-in/password/card-recovery-tickets.js';
import { createPasswordSignIns } from './sign-in/password/password-sign-in.js';
import { createPasskeySignIn } from './sign-in/passkey/passkey-sign-in.js';
import { createCredentialsRoom, type CredentialsRoom } from './credentials/credentials-room.js';
import type { Mailer } from './mail/mailer.js';
import type { Database } from './storage/database/database.js';
import { createCardSignIn } from './sign-in/card/card-sign-in.js';
import type { SignInWaiters } from './sign-in/sign-in-binding.js';
import { INTERACTION_WAITER, interactionWaiter } from './interaction/interaction-waiter.js';
import { ACCOUNT_WAITER, accountSignInWaiter } from './account/account-sign-in-waiter.js';
import { helpRoutes } from './interaction/help-routes.js';
import { interactionRoutes } from './interaction/routes.js';
import { AccountStore, type AttributeDirectory } from './oidc/accounts.js';
import { emptyDirectory } from './oidc/attribute-directory.js';
import { createMemoryAdapterFactory } from './storage/adapters/memory-adapter.js';
import { loadClientsFile } from './oidc/clients-file.js';
import { createProvider } from './oidc/provider.js';
import { loadProviderKeys } from './oidc/provider-keys.js';
import { MemoryStateStore } from './storage/state/memory-state-store.js';
import { OfflineGrantIndex } from './storage/state/offline-grant-index.js';
import type { StateStore } from './storage/state-store.js';
import { storageGuard } from './storage/guard/storage-guard.js';
import { guardAdapter, guardStateStore } from './storage/guard/storage-guarded.js';
import { StorageOutageWatch } from './storage/guard/storage-outage-watch.js';
import { renderErrorPage } from './shared/errors/render-error-page.js';
import { requestLanguage } from './shared/request-language.js';
import { siteSettings } from './shared/site-settings.js';
import { staticAssets } from './shared/static-assets.js';
import type { AccessRegistry } from './registry/access-registry.js';
import { cachedTrustChain, openProviderDatabase, registryAccessHistory, registryLoginRecords, registryMiddleware } from './registry-wiring.js';
import { createFederationOp, type FederationOp, type FederationOpOverrides } from './federation/op/federation-op.js';
import { federationEvents } from './observability/federation-events.js';
import { measuredAdapter, measuredStateStore, type StorageBackend } from './observability/measured-storage.js';
import { measuredVerifier } from './observability/measured-verifier.js';
import { httpRequestMetrics } from './observability/http-metrics.js';
import { CARD_SIGN_IN } from './observability/metrics.js';
import { loggerFor } from './shared/logger.js';
import { logAppErrors, requestLogging } from './shared/request-logging.js';
import { pathGatedRouters } from './shared/path-gated-routes.js';

/** The health probes' paths: answered before any route, under any Host, logged only at debug when they succeed. */
const PROBE_PATHS: readonly string[] = ['/healthz', '/readyz'];

export interface ProviderAppOptions {
  config: ProviderConfig;
  /** Relying parties registered in code (the demo), added to CLIENTS_FILE's. */
  extraClients?: ClientMetadata[];
  attributeDirectory?: AttributeDirectory;
  /** Shared state and oidc-provider adapter; default in-memory. */
  storage?: { store: StateStore; adapter?: Configuration['adapter']; backend?: StorageBackend };
  /** Audit sink for card-login events (default: a log line of component `audit`). */
  audit?: (event: object) => void;
  /** True once the process drains after SIGTERM (server.ts): /readyz then answers 503. */
  draining?: () => boolean;
  /** The access registry (docs/registry.md): server.ts and the demo always give one; without it nothing is recorded. */
  registry?: AccessRegistry;
  /** Levels 1 and 2 (docs/levels.md): the database (default the provider's shared one, opened at the first use) and the mail transport (default SMTP_URL's, or the local outbox). */
  /**
   * `openAtStart`: the process owns its database (server, demo, test stacks): open and migrate it now, in the
   * background, and be ready only once it is — never at a citizen's first level-3 sign-in (CardRecoveryTickets).
   */
  credentials?: { database?: () => Promise<Database>; mailer?: Mailer; openAtStart?: boolean };
  /** OpenID Federation parts replaced in tests (an in-memory federation's fetcher, its clock). */
  federation?: FederationOpOverrides;
}

export interface ProviderApp {
  provider: Provider;
  store: StateStore;
  federation: FederationOp;
  /** Levels 1 and 2: the account pages use it; the demo's outbox page reads `credentials.outbox`. */
  credentials: CredentialsRoom;
  /** Ends what the app holds open by itself (the smartphone pages' event streams); the server closes the rest. */
  close(): void;
}

/** Builds the provider process: oidc-provider is the koa app; our routes run in front of its router. */
export async function createProviderApp(options: ProviderAppOptions): Promise<ProviderApp> {
  const { config } = options;
  const keys = await loadProviderKeys(config.keysDir, config.generateKeys, { fromEnvironment: config.pairwiseSecret });
  const clients = [...(await loadClientsFile(config.clientsFile)), ...(options.extraClients ?? [])];
  // Storage calls report outages to the watch, so every route can answer 503 while Redis is down.
  const outages = new StorageOutageWatch();
  // Measured inside the guard: the metrics see every call and its own latency, the guard the outcome.
  // Without a metrics endpoint (METRICS_PORT empty) nothing would ever read them: nothing is timed.
  const metered = config.observability.metrics !== undefined;
  const backend = options.storage?.backend ?? 'memory';
  const store = guardStateStore(measuredStateStore(options.storage?.store ?? new MemoryStateStore(), backend, metered), outages);
  // Static clients are found by oidc-provider before any adapter; the Client adapter resolves the
  // other entity ids through the federation (docs/federation.md, automatic registration).
  const federation = await createFederationOp(config, { ...options.federation, log: federationEvents(options.federation?.log) });
  const storageAdapter = options.storage?.adapter
    ? guardAdapter(measuredAdapter(options.storage.adapter, backend, metered), outages)
    : measuredAdapter(createMemoryAdapterFactory({ clockToleranceSeconds: config.clockToleranceSeconds }), 'memory', metered);
  const adapter = federation.clientAdapter(storageAdapter, new Set(clients.map((client) => client.client_id)));
  const accounts = new AccountStore(store, options.attributeDirectory ?? emptyDirectory, config.sessionTtlSeconds);
  const challenges = new ChallengeStore(store, config.challengeTtlSeconds);
  const auditLog = loggerFor('audit');
  // One configuration for both ways a card signs: on a reader (the card) and by NFC (the smartphone).
  const verifierDeps = {
    config,
    challenges,
    trustAnchors: await loadCertificates(config.trustAnchors),
    intermediates: await loadCertificates(config.intermediates),
    audit: options.audit ?? ((event: object) => auditLog.info({ ...event })),
  };
  const verifier = measuredVerifier(createCieLoginVerifier(verifierDeps), CARD_SIGN_IN, metered);

  const requestLog = requestLogging('http', metered ? httpRequestMetrics('provider') : undefined, PROBE_PATHS);
  // Outermost (createProvider installs it first), so that it sees every storage call of a request.
  const guard = storageGuard({
    watch: outages,
    // `/auth` and its resume `/auth/:uid`, the interaction and card steps, the account page, the smartphone's desktop pages.
    isBrowserRoute: (ctx) => {
      const authorizationPath = provider.pathFor('authorization');
      return ctx.path === authorizationPath || ctx.path.startsWith(`${authorizationPath}/`) || ctx.path.startsWith('/interaction/') || ctx.path.startsWith('/cie/') || ctx.path.startsWith('/sign-in/') || ctx.path === '/account' || ctx.path.startsWith('/account/') || ctx.path === '/app/l2' || isSmartphonePage(ctx);
    },
    renderPage: (ctx) => renderErrorPage(ctx, { code: 'temporarily_unavailable', language: requestLanguage(ctx) }),
  });

  const provider = createProvider({
    issuer: config.issuer,
    keys,
    clients,
    accounts,
    clockToleranceSeconds: config.clockToleranceSeconds,
    sessionTtlSeconds: config.sessionTtlSeconds,
    lifetimes: config.lifetimes,
    tokenSigningAlg: config.tokenSigningAlg,
    jwtLifetimes: config.jwtLifetimes,
    adapter,
    automaticRegistration: federation.automaticRegistration,
    // Probes reach the pod by its IP: the health paths answer any Host (oidc/issuer-host.ts).
    hosts: { allowedHosts: config.allowedHosts, anyHostPaths: PROBE_PATHS },
    // The request id first, so that every line of the request carries it (the guard's 503 too).
    outermost: (ctx, next) => requestLog(ctx, () => guard(ctx, next)),
    // The citizen gets our words; the library's code and English description stay on the page for the RP's developers.
    renderError: (ctx, out) => renderErrorPage(ctx, {
      code: out.error === 'server_error' ? 'server_error' : 'request_refused',
      shownCode: out.error,
      detail: out.error_description,
      language: requestLanguage(ctx),
      status: ctx.status >= 400 ? ctx.status : 400,
    }),
  });
  provider.proxy = config.trustProxy;
  // oidc-provider answers its own 500s; the cause would otherwise be lost (redacted like every line).
  const serverLog = loggerFor('oidc');
  provider.on('server_error', (_ctx: unknown, error: Error) => serverLog.error({ event: 'server_error', error }, 'oidc-provider: server error'));
  // koa would print other errors with console.error (unredacted, not JSON).
  logAppErrors(provider, 'http');

  // Not async for other paths: every request passes through this layer.
  const probes = async (ctx: Context) => {
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path === '/readyz') {
      // Not ready: storage refuses a write (down, read-only, out of memory…), the access registry is
      // not open yet or does not answer (a login cannot finish without its record), or the process is draining.
      const [stored, recorded] = await Promise.all([store.ping().catch(() => false), options.registry?.available() ?? true]);
      const ready = !options.draining?.() && stored && recorded && credentialsOpen();
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'not ready' };
    }
  };
  provider.use((ctx, next) => (PROBE_PATHS.includes(ctx.path) ? probes(ctx) : next()));
  const { registry } = options;
  if (registry) for (const middleware of registryMiddleware(provider, registry, store, outages)) provider.use(middleware);
  provider.use(siteSettings(config.site));
  for (const route of federation.routes(provider)) provider.use(route);
  provider.use(staticAssets('/assets'));
  // The lost-codes help and the footer's pages (docs/ui.md); the privacy page names the range API when it is set.
  // Our routers, in this order, as one layer in front of oidc-provider's routes (each skipped unless its paths may match).
  const routers: Router[] = [];
  routers.push(helpRoutes({ breachedPasswordsApi: config.credentials.breachedPasswords.api }));
  // Levels 1 and 2: one room on the provider's shared database; its outages are the storage outage (503).
  const credentials = await createCredentialsRoom({
    database: options.credentials?.database ?? (() => openProviderDatabase(config)),
    keysDir: config.keysDir,
    generateKeys: config.generateKeys,
    settings: config.credentials,
    store,
    observe: (call) => outages.observe(call),
    ...(options.credentials?.mailer ? { mailer: options.credentials.mailer } : {}),
  });
  // Every level-3 sign-in clears the password lockout (below), so the database would otherwise be opened by the first
  // one: an embedded database's initdb takes seconds (tens on a loaded machine) inside that citizen's card or OTP step.
  const credentialsOpen = options.credentials?.openAtStart ? openedInBackground(credentials) : () => true;
  // Every card sign-in (card or smartphone, any waiter) clears the citizen's password lockout: recovery is by the card.
  const tickets = new CardRecoveryTickets(store, challenges, credentials.signIn);
  const offlineGrants = new OfflineGrantIndex(store);
  // Counters live in the shared store, so the limits hold across instances; see docs/bridge.md.
  const rateLimits = createCardRateLimits(store, config.cardRateLimits);
  // Who may wait for a sign-in, and the sign-in methods (docs/architecture.md, "Sign-in methods").
  const waiters: SignInWaiters = { [INTERACTION_WAITER]: interactionWaiter, [ACCOUNT_WAITER]: accountSignInWaiter };
  const card = createCardSignIn({ origin: config.origin, bridgeUrl: config.bridgeUrl, challenges, tickets, verifier, waiters, rateLimits });
  routers.push(card.routes);
  // The name the app shows: the RP's for a login, the page's own for the account page.
  const requesterOf = async (_ctx: unknown, binding: { waiter: string; id: string }) => {
    if (binding.waiter !== INTERACTION_WAITER) return config.site.operatorName;
    const interaction = await provider.Interaction.find(binding.id);
    return interaction ? clientName(provider, interaction.params.client_id) : config.site.operatorName;
  };
  const appAssertions = appAssertionVerifier(createProviderAssertionVerifier(verifierDeps));
  // "Prosegui con smartphone" (docs/app-protocol.md): the card's challenges, verifier configuration and per-network limit.
  const smartphone = createSmartphoneSignIn({
    origin: config.origin,
    store,
    challenges,
    tickets,
    verify: appAssertions,
    waiters,
    perNetwork: rateLimits.perNetwork,
    lifetimes: config.smartphone,
    requesterOf,
  });
  routers.push(smartphone.method.routes);
  // The CieID app as a level-2 factor (docs/app-protocol.md, "Level 2"): enrolment by a card read, push after the password, QR.
  const approvals = new AppApprovals({ store, ttlSeconds: config.appApprovalTtlSeconds });
  const appFactor = createAppApprovalSignIn({
    origin: config.origin,
    store,
    challenges,
    verify: appAssertions,
    devices: credentials.appDevices,
    approvals,
    notifier: pullOnlyNotifier,
    tickets,
    waiters,
    perNetwork: rateLimits.perNetwork,
    requesterOf,
  });
  routers.push(appFactor.appRoutes);
  // Passkey and password (levels 2 and 1): offered for requests that accept them (interaction/methods-for-request.ts).
  const credentialMethods = [
    createPasskeySignIn({ credentials, ceremonies: store, tickets, waiters }),
    ...createPasswordSignIns({ credentials, ceremonies: store, tickets, waiters, emailSecondFactor: config.credentials.emailSecondFactor, app: { approvals, devices: credentials.appDevices, notifier: pullOnlyNotifier, requesterOf } }),
    appFactor.qrMethod,
  ];
  for (const method of credentialMethods) routers.push(method.routes);
  routers.push(interactionRoutes({
    provider,
    methods: [card, smartphone.method, ...credentialMethods],
    // Every start, whatever the method, counts in the card's per-network window.
    perNetwork: rateLimits.perNetwork,
    waiters,
    tickets,
    accounts,
    offlineGrants,
    ...(registry ? { records: registryLoginRecords(registry, store, outages, cachedTrustChain(federation.chains)) } : {}),
  }));
  routers.push(accountRoutes({
    methods: [card, smartphone.method],
    perNetwork: rateLimits.perNetwork,
    waiters,
    tickets,
    // The sign-in cookie outlives the longest method's own sign-in: a card challenge, or a smartphone session.
    signInTtlSeconds: Math.max(config.challengeTtlSeconds, config.smartphone.sessionSeconds),
    sessions: new AccountSessions(store),
    offlineAccess: new OfflineAccessRegistry(provider, offlineGrants, accounts),
    ...(registry ? { history: registryAccessHistory(registry, outages) } : {}),
    // Levels 1/2 managed behind the card; the demo's outbox page only on a plain-http loopback origin.
    credentials,
    outboxPage: credentials.outbox !== undefined && outboxPageAllowed(config.origin),
  }));
  provider.use(pathGatedRouters(routers));

  return { provider, store, federation, credentials, close: () => smartphone.hub.close() };
}

/** Opens and migrates the credentials' database now; the probe asks again after a failure (a database down at start). */
function openedInBackground(credentials: CredentialsRoom): () => boolean {
  let open = false;
  const attempt = () => credentials.ready().then(() => void (open = true), (error: unknown) => {
    loggerFor('credentials').warn({ event: 'credentials_database_not_ready', error }, `credentials: database not ready at start (${(error as Error).message}); not ready until it is`);
  });
  void attempt();
  return () => {
    if (!open) void attempt();
    return open;
  };
}
