import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge } from '../../../src/bridge/start-bridge.js';
import { loadBridgeConfig, loadProviderConfig } from '../../../src/config/config.js';
import { freePort } from '../../../src/shared/free-port.js';
import type { LocalStack } from '../../../src/demo/local-stack.js';
import { discoverProvider, relyingPartyMetadata } from '../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { createMemoryAdapterFactory } from '../../../src/storage/adapters/memory-adapter.js';
import { loadFileDirectory } from '../../../src/oidc/attribute-directory.js';
import { MemoryStateStore } from '../../../src/storage/state/memory-state-store.js';
import type { StateStore } from '../../../src/storage/state-store.js';
import { switchableStore } from '../../support/switchable-store.js';
import { createProviderApp } from '../../../src/provider-app.js';
import { openProviderDatabase } from '../../../src/registry-wiring.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { prepareDemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { seedEmbeddedDatabase } from '../../support/pglite-template.js';

export interface AccountStack extends LocalStack {
  /** The provider's StateStore (what the test inspects, e.g. the offline grants index). */
  store: StateStore;
  /** Moves the clock of the provider's StateStore (account sessions, challenges, tickets) forward. */
  advanceStateClock(seconds: number): void;
  /** While true, every StateStore call fails as an unreachable Redis would. */
  setStateStoreDown(down: boolean): void;
  dispose(): Promise<void>;
}

/**
 * The card-login system of test/support/local-stack.ts (test PKI, in-process bridge with a virtual
 * card, the real provider app, the demo RP), with a StateStore whose clock the test moves: account
 * sessions expire without waiting ten minutes, and that can be switched off like an unreachable Redis.
 */
export async function startAccountStack(): Promise<AccountStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-account-'));
  const ports = { provider: await freePort(), rp: await freePort(), pki: await freePort() };
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const issuer = `http://localhost:${ports.provider}`;
  const rpUrl = `http://localhost:${ports.rp}`;
  const reader = new InProcessTerminal(openCardFile(await environment.mintCardFile('demo-card')));
  const bridgeConfig = loadBridgeConfig({ BRIDGE_PORT: '0', BRIDGE_ALLOWED_ORIGINS: issuer, BRIDGE_TRANSPORT: 'virtual', BRIDGE_DEVICE_KEYS: environment.deviceKeysPath });
  const bridge = await startBridge(bridgeConfig, reader);

  await seedEmbeddedDatabase(join(dir, 'registry'));
  const providerConfig = loadProviderConfig({
    ISSUER: issuer,
    PORT: String(ports.provider),
    HOST: '127.0.0.1',
    KEYS_DIR: join(dir, 'keys'),
    BRIDGE_URL: bridge.url,
    CIE_TRUST_ANCHORS: environment.trustAnchorPath,
    CIE_INTERMEDIATES: environment.intermediatePath,
    // The credentials room's embedded database (opened at the first card sign-in), in the test's own directory,
    // from the template cluster (test/support/pglite-template.ts).
    REGISTRY_DIR: join(dir, 'registry'),
  });
  let clockOffsetMs = 0;
  const store = new MemoryStateStore(() => Date.now() + clockOffsetMs);
  const { store: switchable, setDown: setStateStoreDown } = switchableStore(store);
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'keys', 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const { provider } = await createProviderApp({
    config: providerConfig,
    extraClients: [metadata],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    storage: { store: switchable, adapter: createMemoryAdapterFactory({ clockToleranceSeconds: providerConfig.clockToleranceSeconds }) },
    audit: () => {},
  });
  const providerServer = createServer(provider.callback());
  await listen(providerServer, ports.provider, '127.0.0.1');
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);
  const close = async () => {
    await Promise.all([closeNow(providerServer), bridge.close(), pkiServer.close()]);
    // Its directory is locked while open: closed before the directory goes.
    await (await openProviderDatabase(providerConfig)).close();
    await store.close();
  };

  return {
    issuer,
    rpUrl,
    bridge,
    environment,
    providerConfig,
    bridgeConfig,
    rp: { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id },
    pkiServer,
    store,
    insertCard: (path) => reader.insert(openCardFile(path)),
    advanceStateClock: (seconds) => {
      clockOffsetMs += seconds * 1000;
    },
    setStateStoreDown,
    close,
    dispose: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
