import { createServer, type Server } from 'node:http';
import { closeNow, listen } from '../shared/http-server.js';
import type { AddressInfo } from 'node:net';
import type { BridgeConfig } from '../config/config.js';
import { bridgeMetricsRegistry, collectBridgeProcessMetrics } from '../observability/bridge-metrics.js';
import { startLoopbackMetrics } from '../observability/loopback-metrics-server.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { createBridgeApp } from './bridge-server.js';
import { CardAccess } from './card-access.js';
import { openTerminal, readDeviceAuthKeys } from './open-terminal.js';

export const BRIDGE_VERSION = '0.1.0';

export interface RunningBridge {
  url: string;
  /** The loopback metrics endpoint, when BRIDGE_METRICS_PORT asked for one (and its port was free). */
  metricsUrl: string | undefined;
  cards: CardAccess;
  close(): Promise<void>;
}

/** Starts the bridge on 127.0.0.1 only: it must never be reachable from another machine. */
export async function startBridge(config: BridgeConfig, terminal?: CardTerminal): Promise<RunningBridge> {
  const cards = new CardAccess(terminal ?? (await openTerminal(config)), await readDeviceAuthKeys(config.deviceAuthKeys), config.readerName);
  let server: Server | undefined;
  const app = createBridgeApp({
    allowedOrigins: config.allowedOrigins,
    signer: cards,
    pins: cards,
    version: BRIDGE_VERSION,
    port: () => (server?.address() as AddressInfo).port,
  });
  server = createServer(app.callback());
  await listen(server, config.port, '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const metrics = await bridgeMetrics(config.metricsPort);
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: metrics?.url,
    cards,
    close: async () => {
      await metrics?.close();
      await closeNow(server!);
      await cards.close();
    },
  };
}

/**
 * Off unless BRIDGE_METRICS_PORT is set: a citizen's computer has no one to read them. On, a port of its
 * own on 127.0.0.1 (not a path of the pages' server, which every web page in the browser can address).
 */
async function bridgeMetrics(port: number | undefined) {
  if (port === undefined) return undefined;
  collectBridgeProcessMetrics();
  return startLoopbackMetrics(bridgeMetricsRegistry, port, 'bridge');
}
