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
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../demo-rp/rp-keys.js';
import { loadFileDirectory } from '../oidc/attribute-directory.js';
import { createProviderApp } from '../provider-app.js';
import { prepareDemoEnvironment, type DemoEnvironment } from '../simulator/demo-environment.js';
import { startPkiServer, type PkiServer } from '../simulator/pki/index.js';
import { createStorage } from '../storage.js';
import { CardFileTerminal } from '../bridge/card-file-terminal.js';
import type { CardTerminal } from '../transport/card-transport.js';

export interface LocalStackOptions {
  /** Where PKI, device keys and cards live (created on first run). */
  dir: string;
  /** Provider and demo-RP keys (generated on first run); default `<dir>/keys`. */
  keysDir?: string;
  ports: { provider: number; rp: number; bridge: number; pki: number };
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
  /** Puts another virtual card file into the in-process reader (tests: a fresh card per scenario). */
  insertCard(cardPath: string): void;
  close(): Promise<void>;
}

/**
 * The whole system on one machine: test PKI with its OCSP/CRL server, the card bridge with a
 * virtual card, the provider, and the demo RP registered at it. Used by `npm start` and the tests.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { ports } = options;
  const keysDir = options.keysDir ?? join(options.dir, 'keys');
  const environment = await prepareDemoEnvironment(options.dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
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
    ...options.providerEnv,
  });
  const rpKeys = await loadRelyingPartyKeys(join(providerConfig.keysDir, 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const storage = await createStorage(providerConfig);
  const { provider } = await createProviderApp({
    config: providerConfig,
    extraClients: [metadata],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    storage,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.draining ? { draining: options.draining } : {}),
  });
  const providerServer = createServer(provider.callback());
  await listen(providerServer, providerConfig.port, providerConfig.host);

  const { issuer } = providerConfig;
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);
  const rpServer = createServer(createRelyingPartyApp({ origin: rpUrl, config: () => rpConfig, keys: rpKeys }).callback());
  await listen(rpServer, ports.rp, '127.0.0.1');

  return {
    issuer,
    rpUrl,
    bridge,
    environment,
    providerConfig,
    bridgeConfig,
    rp: { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id },
    pkiServer,
    insertCard: (path) => {
      if (!virtualReader) throw new Error('the bridge runs in its own process or on another reader: cards cannot be swapped from here');
      virtualReader.insertFile(path);
    },
    close: async () => {
      await Promise.all([closeNow(rpServer), closeNow(providerServer), bridge.close(), pkiServer.close()]);
      await storage.store.close();
    },
  };
}
