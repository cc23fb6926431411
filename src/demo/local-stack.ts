import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { closeNow, listen } from '../shared/http-server.js';
import { spawnBridgeProcess, type BridgeHandle } from './bridge-process.js';
import { join } from 'node:path';
import type * as client from 'openid-client';
import { startBridge } from '../bridge/start-bridge.js';
import { loadBridgeConfig, loadProviderConfig, originOf, type BridgeConfig, type ProviderConfig } from '../config/config.js';
import { createRelyingPartyApp } from '../demo-rp/rp-app.js';
import { discoverProvider, relyingPartyMetadata } from '../demo-rp/rp-client.js';
import { loadRelyingPartyFederationKeys } from '../demo-rp/rp-federation-keys.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../demo-rp/rp-keys.js';
import { loadFederationKeys } from '../federation/op/federation-keys.js';
import { enrollEntity } from '../simulator/federation/index.js';
import { demoRpEntityConfiguration } from './demo-rp-entity.js';
import { freePort } from '../shared/free-port.js';
import { startLocalAnchor, type LocalAnchor } from './local-anchor.js';
import { loadFileDirectory } from '../oidc/attribute-directory.js';
import { createProviderApp } from '../provider-app.js';
import { closeProviderDatabase, openProviderRegistry } from '../registry-wiring.js';
import { prepareDemoEnvironment, type DemoEnvironment } from '../simulator/demo-environment.js';
import { startPkiServer, type PkiServer } from '../simulator/pki/index.js';
import { createStorage } from '../storage/create-storage.js';
import { collectProcessMetrics } from '../observability/metrics.js';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server.js';
import { loggerFor } from '../shared/logger.js';
import { CardFileTerminal } from '../simulator/virtual-bridge/card-file-terminal.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { startAppWebServer, type AppWebServer } from '../simulator/app/app-server.js';

export interface LocalStackOptions {
  /** Where PKI, device keys and cards live (created on first run). */
  dir: string;
  /** Open the access registry (PGlite in `<dir>/registry`, or DATABASE_URL) as the production server does; default true. */
  registry?: boolean;
  /**
   * Open the database behind levels 1–2 now, in the background, as server.ts does (an embedded initdb takes
   * seconds, which the first signed-in account page would otherwise wait for); default: with the registry.
   */
  openCredentialsAtStart?: boolean;
  /** Provider and demo-RP keys (generated on first run); default `<dir>/keys`. */
  keysDir?: string;
  /** `ta`: the local OpenID Federation trust anchor (default: a free port); `app`: the CieID-app simulator's web app on the demo card (none when absent). */
  ports: { provider: number; rp: number; bridge: number; pki: number; ta?: number; app?: number };
  /**
   * Register the demo RP in the provider's static clients as before OpenID Federation, instead of
   * letting it sign in through automatic registration (its entity configuration and trust chain).
   * Default: only when FEDERATION_TRUST_ANCHORS names other anchors than the local one.
   */
  registerDemoRpStatically?: boolean;
  /** A terminal to use instead of the in-process virtual card (e.g. PC/SC). */
  terminal?: CardTerminal;
  /** Run the bridge as its own process (the demo) instead of in this one (tests swap cards in it). */
  bridgeInChildProcess?: boolean;
  /** Provider settings (environment-variable form, as in production); they win over the stack's own. */
  providerEnv?: Record<string, string>;
  /**
   * Bridge settings (environment-variable form); they win over the stack's own. BRIDGE_VIRTUAL_CARD
   * names the card file (default: the demo card, minted on first run).
   */
  bridgeEnv?: Record<string, string>;
  /** True while the process drains after SIGTERM: /readyz then answers 503 (SHUTDOWN_DELAY). */
  draining?: () => boolean;
  audit?: (event: object) => void;
  /** Serve /metrics on METRICS_PORT as server.ts does (the demo); tests scrape their own. */
  serveMetrics?: boolean;
}

export interface LocalStack {
  issuer: string;
  rpUrl: string;
  bridge: BridgeHandle;
  environment: DemoEnvironment;
  providerConfig: ProviderConfig;
  bridgeConfig: BridgeConfig;
  rp: { config: client.Configuration; keys: RelyingPartyKeys; redirectUri: string; clientId: string };
  pkiServer: PkiServer;
  /**
   * The local trust anchor: the provider trusts RPs through it; the demo RP and the provider are
   * enrolled. Optional in the type only: test stacks that assemble their own LocalStack have none.
   */
  trustAnchor?: LocalAnchor;
  /** The Prometheus endpoint when `serveMetrics` asked for it and METRICS_PORT could be bound. */
  metricsUrl?: string;
  /** The CieID-app simulator's web app ("the phone", on the bridge's card) when `ports.app` asked for it. */
  appUrl?: string;
  /** Puts another virtual card file into the in-process reader (tests: a fresh card per scenario). */
  insertCard(cardPath: string): void;
  close(): Promise<void>;
}

/**
 * The whole system on one machine: test PKI with its OCSP/CRL server, the local OpenID Federation
 * trust anchor, the card bridge with a virtual card, the provider, and the demo RP — a federation
 * entity enrolled at the anchor, which the provider registers automatically at its first request.
 * Used by `npm start` and the tests.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { ports } = options;
  const keysDir = options.keysDir ?? join(options.dir, 'keys');
  const environment = await prepareDemoEnvironment(options.dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const trustAnchor = await startLocalAnchor(options.dir, ports.ta ?? (await freePort()));
  // As set: loadProviderConfig normalises it (providerConfig.issuer); its origin has no path anyway.
  const issuerSetting = options.providerEnv?.ISSUER ?? `http://localhost:${ports.provider}`;
  const rpUrl = `http://localhost:${ports.rp}`;
  const demoCardPath = join(options.dir, 'cards', 'demo-card.json');

  const bridgeEnv = {
    BRIDGE_PORT: String(ports.bridge),
    BRIDGE_ALLOWED_ORIGINS: originOf(issuerSetting, 'ISSUER'),
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: demoCardPath,
    BRIDGE_DEVICE_KEYS: environment.deviceKeysPath,
    ...options.bridgeEnv,
  };
  const bridgeConfig = loadBridgeConfig(bridgeEnv);
  if (bridgeConfig.transport === 'virtual' && bridgeConfig.virtualCard === demoCardPath && !existsSync(demoCardPath)) await environment.mintCardFile('demo-card');
  // In-process, the reader is ours: tests put other cards into it.
  const virtualReader = options.bridgeInChildProcess || options.terminal || bridgeConfig.transport !== 'virtual' ? undefined : new CardFileTerminal(bridgeConfig.virtualCard);
  const bridge = options.bridgeInChildProcess
    ? await spawnBridgeProcess(bridgeEnv)
    : await startBridge(bridgeConfig, options.terminal ?? virtualReader);

  const providerConfig = loadProviderConfig({
    ISSUER: issuerSetting,
    PORT: String(ports.provider),
    HOST: '127.0.0.1',
    KEYS_DIR: keysDir,
    BRIDGE_URL: bridge.url,
    CIE_TRUST_ANCHORS: environment.trustAnchorPath,
    CIE_INTERMEDIATES: environment.intermediatePath,
    FEDERATION_TRUST_ANCHORS: trustAnchor.trustAnchorsPath,
    REGISTRY_DIR: join(options.dir, 'registry'),
    ...options.providerEnv,
  });
  const rpKeys = await loadRelyingPartyKeys(join(providerConfig.keysDir, 'demo-rp.json'));
  const rpFederationKeys = await loadRelyingPartyFederationKeys(join(providerConfig.keysDir, 'demo-rp-federation.json'));
  const rpName = 'Comune di Esempio';
  const metadata = relyingPartyMetadata(rpUrl, rpName, rpKeys);
  // Every start: the keys may have changed since the last run (a new KEYS_DIR); the trust mark is kept.
  await enrollEntity(trustAnchor.dir, {
    entityId: rpUrl,
    entityType: 'openid_relying_party',
    jwks: rpFederationKeys.publicJwks,
    protocolJwks: rpKeys.publicJwks as { keys: Record<string, unknown>[] },
    organizationName: rpName,
  });
  // The provider too, before it starts: it fetches its own trust mark from the anchor at its first request.
  await enrollEntity(trustAnchor.dir, {
    entityId: providerConfig.issuer,
    entityType: 'openid_provider',
    jwks: (await loadFederationKeys(providerConfig.keysDir, providerConfig.generateKeys)).publicJwks,
    organizationName: providerConfig.federation.entity.organizationName,
  });
  const storage = await createStorage(providerConfig);
  const registry = options.registry === false ? undefined : await openProviderRegistry(providerConfig);
  // With trust anchors of the operator's own (FEDERATION_TRUST_ANCHORS set), the demo RP, known only
  // to the local anchor, could not be resolved: it is then a static client.
  const demoRpStatic = options.registerDemoRpStatically ?? providerConfig.federation.trustAnchorsFile !== trustAnchor.trustAnchorsPath;
  const { provider, close: closeProviderApp } = await createProviderApp({
    config: providerConfig,
    extraClients: demoRpStatic ? [metadata] : [],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    storage,
    ...(registry ? { registry } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.draining ? { draining: options.draining } : {}),
    credentials: { openAtStart: options.openCredentialsAtStart ?? options.registry !== false },
  });
  const providerServer = createServer(provider.callback());
  await listen(providerServer, providerConfig.port, providerConfig.host);

  const { issuer } = providerConfig;
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);
  const entityConfiguration = demoRpEntityConfiguration({ entityId: rpUrl, organizationName: rpName, metadata, federationKeys: rpFederationKeys, anchor: trustAnchor });
  const rpServer = createServer(createRelyingPartyApp({ origin: rpUrl, config: () => rpConfig, keys: rpKeys, entityConfiguration }).callback());
  await listen(rpServer, ports.rp, '127.0.0.1');
  // The "phone": the CieID-app simulator on the bridge's virtual card (the file is locked per card session).
  const app: AppWebServer | undefined = ports.app !== undefined && bridgeConfig.transport === 'virtual'
    ? await startAppWebServer({ cardPath: bridgeConfig.virtualCard, deviceKeysPath: bridgeConfig.deviceAuthKeys, port: ports.app, providerOrigin: providerConfig.origin })
    : undefined;
  let metrics: MetricsServer | undefined;
  if (options.serveMetrics && providerConfig.observability.metrics) {
    collectProcessMetrics();
    metrics = await startMetricsServer(providerConfig.observability.metrics).catch((error: unknown) => {
      loggerFor('demo').error({ event: 'metrics_unavailable', error }, `metrics endpoint not started: ${(error as Error).message}`);
      return undefined;
    });
  }

  return {
    issuer,
    rpUrl,
    bridge,
    environment,
    providerConfig,
    bridgeConfig,
    rp: { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id },
    pkiServer,
    trustAnchor,
    ...(metrics ? { metricsUrl: metrics.url } : {}),
    ...(app ? { appUrl: app.url } : {}),
    insertCard: (path) => {
      if (!virtualReader) throw new Error('the bridge runs in its own process or on another reader: cards cannot be swapped from here');
      virtualReader.insertFile(path);
    },
    close: async () => {
      closeProviderApp();
      await Promise.all([closeNow(rpServer), closeNow(providerServer), bridge.close(), pkiServer.close(), trustAnchor.server.close(), metrics?.close(), app?.close()]);
      await storage.store.close();
      await registry?.close();
      // The credentials room may have opened it without the registry (test stacks with registry: false).
      await closeProviderDatabase(providerConfig);
    },
  };
}
