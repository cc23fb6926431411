import type { CardStep, TriesLeft } from '../card/index.js';

/** Told each step of a card operation as it completes. */
export type StepListener = (step: CardStep) => void;

/** What the bridge's PIN page needs from the card: one PIN-protected signature and the certificate. */
export interface CardSigner {
  /** Throws CardError / TransportError (typed codes) on a wrong PIN, a blocked card, no reader… */
  sign(pin: string, digest: Uint8Array, onStep?: StepListener): Promise<{ signature: Uint8Array; certificate: Uint8Array }>;
}

/** What the bridge's card pages need: the counters, and the two operations that manage the PIN. */
export interface PinManager {
  readTriesLeft(): Promise<TriesLeft>;
  changePin(currentPin: string, newPin: string): Promise<void>;
  unblockPin(puk: string, newPin: string): Promise<void>;
}
