import type { CardFamily } from './card-data.js';
import { fromHex } from './bytes.js';

/** Real Gemalto CIE 3.0 ATR (OpenSC #2486, protocol §1.1). */
const GEMALTO_ATR = '3B 8F 80 01 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00 8A'.replace(/\s/g, '');
/** NXP family: historical bytes "…ITNXP…" of the opencie table with the TCK computed (the published example is truncated). */
const NXP_ATR_WITHOUT_TCK = '3B 8E 80 01 80 31 80 65 49 54 4E 58 50 12 0F FF 82 90'.replace(/\s/g, '');

/** TCK = XOR of every byte from T0 to the last historical byte (ISO 7816-3 §8.2.5). */
function withTck(atr: Uint8Array): Uint8Array {
  const tck = atr.subarray(1).reduce((acc, byte) => acc ^ byte, 0);
  return Uint8Array.of(...atr, tck);
}

export function atrFor(family: CardFamily): Uint8Array {
  return family === 'gemalto' ? fromHex(GEMALTO_ATR) : withTck(fromHex(NXP_ATR_WITHOUT_TCK));
}
