import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys } from '../../card/index.js';
import { closeNow, listen } from '../../shared/http-server.js';
import { CardFileTerminal } from '../virtual-bridge/card-file-terminal.js';
import { createAppWeb } from './app-web.js';
import { DeviceKeyStore } from './device-key-store.js';
import { PhoneCardReader } from './phone-card-reader.js';

export interface AppWebServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The CieID-app simulator's web app on loopback, reading a virtual card file (the demo's card): the
 * file is locked per card session, so the bridge and this "phone" can share one card. Its certified
 * devices are kept beside the card (`<card>.cieid-keystore.json`) unless `keystorePath` says otherwise.
 */
export async function startAppWebServer(options: { cardPath: string; deviceKeysPath: string; port: number; providerOrigin?: string; keystorePath?: string }): Promise<AppWebServer> {
  const keys = parseDeviceAuthKeys(JSON.parse(await readFile(options.deviceKeysPath, 'utf8')));
  const reader = new PhoneCardReader(new CardFileTerminal(options.cardPath), keys);
  const store = await DeviceKeyStore.openFile(options.keystorePath ?? `${options.cardPath}.cieid-keystore.json`);
  const server = createServer(createAppWeb({ reader, store, ...(options.providerOrigin ? { providerOrigin: options.providerOrigin } : {}) }).callback());
  await listen(server, options.port, '127.0.0.1');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeNow(server);
      await reader.close();
    },
  };
}
