import { CieCard, type CardStep, type DeviceAuthKeys } from '../../card/index.js';
import type { CardTerminal } from '../../transport/card-transport.js';

/**
 * The phone's NFC reader, seen by the app: any CardTerminal (the in-process virtual card here; a
 * real phone's IsoDep channel would be another transport). The app is a second host of the card:
 * the same card/ protocol as the bridge, one secure session per signature.
 */
export class PhoneCardReader {
  constructor(
    private readonly terminal: CardTerminal,
    private readonly deviceAuthKeys: DeviceAuthKeys,
  ) {}

  async sign(pin: string, digest: Uint8Array, onStep?: (step: CardStep) => void): Promise<{ signature: Uint8Array; certificate: Uint8Array }> {
    const transport = await this.terminal.connect();
    try {
      const card = new CieCard(transport, { deviceAuthKeys: this.deviceAuthKeys, ...(onStep ? { onStep } : {}) });
      const { signature, certificate } = await card.authenticate(pin, digest);
      return { signature, certificate };
    } finally {
      await transport.close();
    }
  }

  close(): Promise<void> {
    return this.terminal.close();
  }
}
