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
import { createProviderApp } from '../../../src/provider-app.js';
import { closeProviderDatabase } from '../../../src/registry-wiring.js';
import type { AccessRegistry } from '../../../src/registry/access-registry.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { prepareDemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { seedEmbeddedDatabase } from '../../support/pglite-template.js';

export interface RegistryStack extends LocalStack {
  store: StateStore;
  dispose(): Promise<void>;
}

/**
 * The card-login system of test/support/local-stack.ts (test PKI, in-process bridge with a virtual
 * card, the real provider app with `registry`, the demo RP).
 */
export async function startRegistryStack(registry: AccessRegistry): Promise<RegistryStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-registry-'));
  const ports = { provider: await freePort(), rp: await freePort(), pki: await freePort() };
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const issuer = `http://localhost:${ports.provider}`;
  const rpUrl = `http://localhost:${ports.rp}`;
  const reader = new InProcessTerminal(openCardFile(await environment.mintCardFile('demo-card')));
  const bridgeConfig = loadBridgeConfig({ BRIDGE_PORT: '0', BRIDGE_ALLOWED_ORIGINS: issuer, BRIDGE_TRANSPORT: 'virtual', BRIDGE_DEVICE_KEYS: environment.deviceKeysPath });
  const bridge = await startBridge(bridgeConfig, reader);

  const providerConfig = loadProviderConfig({
    ISSUER: issuer,
    PORT: String(ports.provider),
    HOST: '127.0.0.1',
    KEYS_DIR: join(dir, 'keys'),
    BRIDGE_URL: bridge.url,
    CIE_TRUST_ANCHORS: environment.trustAnchorPath,
    CIE_INTERMEDIATES: environment.intermediatePath,
    // The credentials room opens the provider's shared database at the first card sign-in: an embedded one in
    // this stack's directory (not the default var/registry, which every other stack and process would share),
    // from the template cluster rather than an initdb, and closed by `close`.
    REGISTRY_DIR: join(dir, 'registry'),
  });
  await seedEmbeddedDatabase(providerConfig.registry.dir);
  const store = new MemoryStateStore();
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'keys', 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const { provider, close: closeProviderApp } = await createProviderApp({
    config: providerConfig,
    extraClients: [metadata],
    attributeDirectory: await loadFileDirectory(environment.attributeDirectoryPath),
    registry,
    storage: { store, adapter: createMemoryAdapterFactory({ clockToleranceSeconds: providerConfig.clockToleranceSeconds }) },
    audit: () => {},
  });
  const providerServer = createServer(provider.callback());
  await listen(providerServer, ports.provider, '127.0.0.1');
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);
  const close = async () => {
    closeProviderApp();
    await Promise.all([closeNow(providerServer), bridge.close(), pkiServer.close()]);
    await store.close();
    // The embedded database the credentials room opened: left open, it keeps the jest worker from exiting.
    await closeProviderDatabase(providerConfig);
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
    close,
    dispose: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
