import { CieCard, type DeviceAuthKeys, type TriesLeft } from '../card/index.js';
import type { CardTerminal } from '../transport/card-transport.js';
import type { CardSigner, PinManager, StepListener } from './card-signer.js';

/**
 * One card session at a time, each on its own exclusive connection: the bridge may get two PIN
 * submissions at once (two tabs), and interleaved APDUs would break the secure-messaging counter.
 */
export class CardAccess implements CardSigner, PinManager {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly terminal: CardTerminal,
    private readonly deviceAuthKeys: DeviceAuthKeys,
    private readonly readerName?: string,
  ) {}

  /** `onStep` hears `card_found` once the reader has a card that answered, then the card's own steps. */
  withCard<T>(operation: (card: CieCard) => Promise<T>, onStep?: StepListener): Promise<T> {
    const run = async () => {
      const transport = await this.terminal.connect(this.readerName || undefined);
      try {
        const card = new CieCard(transport, { deviceAuthKeys: this.deviceAuthKeys, ...(onStep ? { onStep } : {}) });
        onStep?.('card_found');
        return await operation(card);
      } finally {
        await transport.close();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async sign(pin: string, digest: Uint8Array, onStep?: StepListener): Promise<{ signature: Uint8Array; certificate: Uint8Array }> {
    const { signature, certificate } = await this.withCard((card) => card.authenticate(pin, digest), onStep);
    return { signature, certificate };
  }

  readTriesLeft(): Promise<TriesLeft> {
    return this.withCard((card) => card.readTriesLeft());
  }

  changePin(currentPin: string, newPin: string): Promise<void> {
    return this.withCard((card) => card.changePin(currentPin, newPin));
  }

  unblockPin(puk: string, newPin: string): Promise<void> {
    return this.withCard((card) => card.unblockPin(puk, newPin));
  }

  close(): Promise<void> {
    return this.terminal.close();
  }
}
