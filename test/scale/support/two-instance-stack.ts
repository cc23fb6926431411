import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Provider from 'oidc-provider';
import { startBridge } from '../../../src/bridge/start-bridge.js';
import { loadBridgeConfig, loadProviderConfig } from '../../../src/config/config.js';
import { discoverProvider, relyingPartyMetadata } from '../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { freePort } from '../../../src/demo/free-port.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import type { LocalStack } from '../../../src/demo/local-stack.js';
import { loadFileDirectory } from '../../../src/oidc/attribute-directory.js';
import { createProviderApp } from '../../../src/provider-app.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { prepareDemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { createStorage, type Storage } from '../../../src/storage.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { startSwitchableProxy, type SwitchableProxy } from './switchable-proxy.js';

export interface ProviderInstance {
  name: 'A' | 'B';
  provider: Provider;
  storage: Storage;
  server: Server;
}

export interface TwoInstanceStack extends LocalStack {
  /** Both instances listen on their own port; the proxy gives them one issuer URL. */
  proxy: SwitchableProxy;
  instances: ProviderInstance[];
  dispose(): Promise<void>;
}

/**
 * Two provider instances sharing one Redis, one keys directory and one issuer (through the proxy),
 * plus the test PKI and the card bridge with the demo virtual card. The demo RP is registered at
 * both; its callback is never served (the test browser stops at the redirect).
 */
export async function startTwoInstanceStack(redisUrl: string): Promise<TwoInstanceStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-scale-'));
  // The instances' servers listen before anything else runs (their handlers come later), so that no
  // other process can take a port picked now and bound seconds later: ephemeral ports of outgoing
  // connections come from the same range (an EADDRINUSE seen in CI).
  const servers = { A: createServer(), B: createServer() };
  for (const server of Object.values(servers)) await listen(server, 0, '127.0.0.1');
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  const ports = { A: portOf(servers.A), B: portOf(servers.B), pki: await freePort(), rp: await freePort() };
  const proxy = await startSwitchableProxy({ A: ports.A, B: ports.B }, 'A');
  const issuer = `http://localhost:${proxy.port}`;
  const rpUrl = `http://localhost:${ports.rp}`;
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const cardPath = await environment.mintCardFile('demo-card');
  const reader = new InProcessTerminal(openCardFile(cardPath));
  const bridge = await startBridge(loadBridgeConfig({
    BRIDGE_PORT: String(await freePort()),
    BRIDGE_ALLOWED_ORIGINS: issuer,
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: cardPath,
    BRIDGE_DEVICE_KEYS: environment.deviceKeysPath,
  }), reader);
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'keys', 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const attributeDirectory = await loadFileDirectory(environment.attributeDirectoryPath);

  const instances: ProviderInstance[] = [];
  // One after the other: the first generates the shared provider keys, the second reads them.
  for (const name of ['A', 'B'] as const) {
    const config = loadProviderConfig({
      ISSUER: issuer,
      PORT: String(ports[name]),
      HOST: '127.0.0.1',
      KEYS_DIR: join(dir, 'keys'),
      BRIDGE_URL: bridge.url,
      CIE_TRUST_ANCHORS: environment.trustAnchorPath,
      CIE_INTERMEDIATES: environment.intermediatePath,
      REDIS_URL: redisUrl,
    });
    const storage = await createStorage(config);
    const { provider } = await createProviderApp({ config, extraClients: [metadata], attributeDirectory, storage, audit: () => {} });
    const server = servers[name];
    server.on('request', provider.callback());
    instances.push({ name, provider, storage, server });
  }
  const providerConfig = loadProviderConfig({ ISSUER: issuer, KEYS_DIR: join(dir, 'keys') });
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);

  const close = async () => {
    await proxy.close();
    for (const instance of instances) {
      await closeNow(instance.server);
      await instance.storage.store.close();
    }
    await Promise.all([bridge.close(), pkiServer.close()]);
  };
  return {
    issuer,
    rpUrl,
    bridge,
    environment,
    providerConfig,
    rp: { config: rpConfig, keys: rpKeys, redirectUri: `${rpUrl}/callback`, clientId: metadata.client_id },
    pkiServer,
    insertCard: (path) => reader.insert(openCardFile(path)),
    close,
    proxy,
    instances,
    dispose: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
