import { createServer, type Server } from 'node:http';
import { closeNow, listen } from '../shared/http-server.js';
import type { AddressInfo } from 'node:net';
import type { BridgeConfig } from '../config/config.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { createBridgeApp } from './bridge-server.js';
import { CardAccess } from './card-access.js';
import { openTerminal, readDeviceAuthKeys } from './open-terminal.js';

export const BRIDGE_VERSION = '0.1.0';

export interface RunningBridge {
  url: string;
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
  return {
    url: `http://127.0.0.1:${port}`,
    cards,
    close: async () => {
      await closeNow(server!);
      await cards.close();
    },
  };
}
