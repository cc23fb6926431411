import { randomBytes } from 'node:crypto';
import type { VirtualCardPort } from '../../src/simulator/virtual-card-port.js';

export const CIE_IAS_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x00, 0x30, 0x80, 0x00, 0x00, 0x00, 0x09, 0x81, 0x60, 0x01]);
export const TINY_CARD_ATR = Uint8Array.from([0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

/**
 * The minimal test card of reference Part B.2: SELECT (IAS AID or by FID) → 9000, other AIDs →
 * 6A82, GET CHALLENGE → 8 random bytes, anything else → 6D00. Records what the carrier did to it.
 */
export class TinyCard implements VirtualCardPort {
  readonly atr = TINY_CARD_ATR;
  readonly received: Uint8Array[] = [];
  resets = 0;
  powerOns = 0;
  powerOffs = 0;
  selected = false;

  transmit(command: Uint8Array): Uint8Array {
    this.received.push(command);
    const [, ins, p1] = command;
    if (ins === 0xa4 && p1 === 0x04) {
      this.selected = Buffer.from(command.subarray(5, 5 + (command[4] ?? 0))).equals(CIE_IAS_AID);
      return Uint8Array.from(this.selected ? [0x90, 0x00] : [0x6a, 0x82]);
    }
    if (ins === 0xa4) return Uint8Array.from([0x90, 0x00]);
    if (ins === 0x84) return Uint8Array.from([...randomBytes(8), 0x90, 0x00]);
    return Uint8Array.from([0x6d, 0x00]);
  }

  reset(): void {
    this.resets += 1;
    this.selected = false;
  }

  powerOff(): void {
    this.powerOffs += 1;
    this.selected = false;
  }

  powerOn(): void {
    this.powerOns += 1;
  }
}

export const SELECT_IAS = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, CIE_IAS_AID.length, ...CIE_IAS_AID]);
export const GET_CHALLENGE = Uint8Array.from([0x00, 0x84, 0x00, 0x00, 0x08]);
