import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../../../scripts/bench/login-child.js';
import { startBridge } from '../../../src/bridge/start-bridge.js';
import { loadBridgeConfig, loadProviderConfig } from '../../../src/config/config.js';
import { discoverProvider, relyingPartyMetadata } from '../../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../../src/demo-rp/rp-keys.js';
import { freePort } from '../../../src/shared/free-port.js';
import { closeNow, listen } from '../../../src/shared/http-server.js';
import type { LocalStack } from '../../../src/demo/local-stack.js';
import { loadFileDirectory } from '../../../src/oidc/attribute-directory.js';
import { createProviderApp } from '../../../src/provider-app.js';
import { closeProviderDatabase } from '../../../src/registry-wiring.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { prepareDemoEnvironment } from '../../../src/simulator/demo-environment.js';
import { startPkiServer } from '../../../src/simulator/pki/index.js';
import { createStorage } from '../../../src/storage/create-storage.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { seedEmbeddedDatabase } from '../../support/pglite-template.js';
import { startSwitchableProxy, type SwitchableProxy } from './switchable-proxy.js';

/**
 * `in-process`: both provider apps in this jest worker (createProviderApp, each with its own storage
 * client). `process`: two OS processes of the production entry point `dist/src/server.js` (needs a
 * fresh `npm run build`), configured only through environment variables.
 */
export type InstanceKind = 'in-process' | 'process';

export interface ProviderInstance {
  name: 'A' | 'B';
  port: number;
  /** The OS process of a `process` instance; this one's for an `in-process` instance. */
  pid: number;
  close(): Promise<void>;
}

/** The provider's production entry point, built by `npm run build` (tsc -p tsconfig.build.json). */
export const PROVIDER_ENTRY_POINT = fileURLToPath(new URL('../../../dist/src/server.js', import.meta.url));

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
export async function startTwoInstanceStack(redisUrl: string, kind: InstanceKind = 'in-process'): Promise<TwoInstanceStack> {
  const dir = await mkdtemp(join(tmpdir(), 'cie-scale-'));
  // In-process, the instances' servers listen before anything else runs (their handlers come later),
  // so that no other process can take a port picked now and bound seconds later: ephemeral ports of
  // outgoing connections come from the same range (an EADDRINUSE seen in CI). A child process binds
  // its PORT itself, so for those the port is picked just before it starts.
  const servers = { A: createServer(), B: createServer() };
  if (kind === 'in-process') for (const server of Object.values(servers)) await listen(server, 0, '127.0.0.1');
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  const ports = kind === 'in-process'
    ? { A: portOf(servers.A), B: portOf(servers.B), pki: await freePort(), rp: await freePort() }
    : { A: await freePort(), B: await freePort(), pki: await freePort(), rp: await freePort() };
  const proxy = await startSwitchableProxy({ A: ports.A, B: ports.B }, 'A');
  const issuer = `http://localhost:${proxy.port}`;
  const rpUrl = `http://localhost:${ports.rp}`;
  const environment = await prepareDemoEnvironment(dir, `http://127.0.0.1:${ports.pki}`);
  const pkiServer = await startPkiServer(environment.pki, { port: ports.pki });
  const cardPath = await environment.mintCardFile('demo-card');
  const reader = new InProcessTerminal(openCardFile(cardPath));
  const bridgeConfig = loadBridgeConfig({
    BRIDGE_PORT: String(await freePort()),
    BRIDGE_ALLOWED_ORIGINS: issuer,
    BRIDGE_TRANSPORT: 'virtual',
    BRIDGE_VIRTUAL_CARD: cardPath,
    BRIDGE_DEVICE_KEYS: environment.deviceKeysPath,
  });
  const bridge = await startBridge(bridgeConfig, reader);
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'keys', 'demo-rp.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const attributeDirectory = await loadFileDirectory(environment.attributeDirectoryPath);

  const instances: ProviderInstance[] = [];
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([metadata]));
  // One after the other: the first generates the shared provider keys, the second reads them.
  for (const name of ['A', 'B'] as const) {
    const env = {
      ISSUER: issuer,
      PORT: String(ports[name]),
      HOST: '127.0.0.1',
      KEYS_DIR: join(dir, 'keys'),
      BRIDGE_URL: bridge.url,
      CIE_TRUST_ANCHORS: environment.trustAnchorPath,
      CIE_INTERMEDIATES: environment.intermediatePath,
      REDIS_URL: redisUrl,
      // Each process its own embedded access registry (one process per PGlite directory; docs/registry.md).
      REGISTRY_DIR: join(dir, `registry-${name}`),
    };
    // From the template cluster (test/support/pglite-template.ts), not an initdb in each provider.
    await seedEmbeddedDatabase(env.REGISTRY_DIR);
    if (kind === 'process') {
      // The demo RP comes from CLIENTS_FILE, as a production deployment registers its RPs.
      const child = await startChild(process.execPath, [PROVIDER_ENTRY_POINT], { ...env, CLIENTS_FILE: clientsFile, NODE_ENV: 'production' }, /listening on/);
      instances.push({ name, port: ports[name], pid: child.process.pid!, close: () => child.stop() });
      continue;
    }
    const config = loadProviderConfig(env);
    const storage = await createStorage(config);
    const { provider, close: closeApp } = await createProviderApp({ config, extraClients: [metadata], attributeDirectory, storage, audit: () => {} });
    const server = servers[name];
    server.on('request', provider.callback());
    instances.push({
      name,
      port: ports[name],
      pid: process.pid,
      close: async () => {
        await closeNow(server);
        closeApp();
        await storage.store.close();
        // The credentials' database, if a test opened it (the provider process closes it at its exit).
        await closeProviderDatabase(config);
      },
    });
  }
  const providerConfig = loadProviderConfig({ ISSUER: issuer, KEYS_DIR: join(dir, 'keys') });
  const rpConfig = await discoverProvider(issuer, metadata, rpKeys);

  const close = async () => {
    await proxy.close();
    for (const instance of instances) await instance.close();
    await Promise.all([bridge.close(), pkiServer.close()]);
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
