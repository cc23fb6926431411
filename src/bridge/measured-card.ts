import { measuredCardSession } from '../observability/bridge-metrics.js';
import type { CardSigner, PinManager } from './card-signer.js';

/**
 * The card as the bridge's pages use it, each session counted by operation and outcome code and timed
 * (docs/operations.md, "The card bridge"). Only the operation's name and the error's code are recorded:
 * the PIN, PUK and what the card returns never reach a metric.
 */
export function measuredSigner(signer: CardSigner): CardSigner {
  return { sign: (pin, digest, onStep) => measuredCardSession('sign', () => signer.sign(pin, digest, onStep)) };
}

export function measuredPins(pins: PinManager): PinManager {
  return {
    readTriesLeft: () => measuredCardSession('read_tries', () => pins.readTriesLeft()),
    changePin: (currentPin, newPin) => measuredCardSession('pin_change', () => pins.changePin(currentPin, newPin)),
    unblockPin: (puk, newPin) => measuredCardSession('pin_unblock', () => pins.unblockPin(puk, newPin)),
  };
}
