import { CieCard, type DeviceAuthKeys } from '../card/index.js';
import type { CardTerminal } from '../transport/card-transport.js';
import type { CardSigner } from './card-signer.js';

/**
 * One card session at a time, each on its own exclusive connection: the bridge may get two PIN
 * submissions at once (two tabs), and interleaved APDUs would break the secure-messaging counter.
 */
export class CardAccess implements CardSigner {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly terminal: CardTerminal,
    private readonly deviceAuthKeys: DeviceAuthKeys,
    private readonly readerName?: string,
  ) {}

  withCard<T>(operation: (card: CieCard) => Promise<T>): Promise<T> {
    const run = async () => {
      const transport = await this.terminal.connect(this.readerName || undefined);
      try {
        return await operation(new CieCard(transport, { deviceAuthKeys: this.deviceAuthKeys }));
      } finally {
        await transport.close();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async sign(pin: string, digest: Uint8Array): Promise<{ signature: Uint8Array; certificate: Uint8Array }> {
    const { signature, certificate } = await this.withCard((card) => card.authenticate(pin, digest));
    return { signature, certificate };
  }

  close(): Promise<void> {
    return this.terminal.close();
  }
}
