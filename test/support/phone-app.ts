import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys, type CardStep } from '../../src/card/index.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import { freePort } from '../../src/shared/free-port.js';
import { createAppWeb } from '../../src/simulator/app/app-web.js';
import { PhoneCardReader } from '../../src/simulator/app/phone-card-reader.js';
import { openCardFile } from '../../src/simulator/card/index.js';
import type { DemoEnvironment } from '../../src/simulator/demo-environment.js';
import { InProcessTerminal } from '../../src/transport/in-process.js';

export interface PhoneApp {
  /** The CieID-app simulator's web app ("the phone") on loopback. */
  url: string;
  /** The next card read loses the card once the secure channel is open (the citizen moved it away); the card is back for the read after. */
  pullCardDuringNextRead(): void;
  close(): Promise<void>;
}

/**
 * The CieID-app simulator as a browser test drives it: its web app on a free loopback port, reading
 * a freshly minted virtual card of `environment` (PIN 12345678), so the demo card's counters stay untouched.
 */
export async function startPhoneApp(environment: DemoEnvironment, cardName: string): Promise<PhoneApp> {
  const cardPath = await environment.mintCardFile(cardName);
  const keys = parseDeviceAuthKeys(JSON.parse(await readFile(environment.deviceKeysPath, 'utf8')));
  const terminal = new InProcessTerminal(openCardFile(cardPath));
  let pullNext = false;
  class PullingReader extends PhoneCardReader {
    override async sign(pin: string, digest: Uint8Array, onStep?: (step: CardStep) => void) {
      const pulling = pullNext;
      pullNext = false;
      try {
        return await super.sign(pin, digest, (step) => {
          onStep?.(step);
          if (pulling && step === 'secure_channel') terminal.remove();
        });
      } finally {
        // The citizen puts the card back on the phone for the next try.
        if (pulling) terminal.insert(openCardFile(cardPath));
      }
    }
  }
  const reader = new PullingReader(terminal, keys);
  const port = await freePort();
  const server = createServer(createAppWeb({ reader }).callback());
  await listen(server, port, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    pullCardDuringNextRead: () => void (pullNext = true),
    close: async () => {
      await closeNow(server);
      await reader.close();
    },
  };
}
