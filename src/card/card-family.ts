import { hexToBytes } from './bytes.js';
import { CardError } from './card-error.js';

export type CardFamilyName = 'NXP' | 'Gemalto' | 'Gemalto2' | 'STM' | 'STM2' | 'STM3' | 'Actalis' | 'Bit4id';

export interface CardFamily {
  name: CardFamilyName;
  /** How the IAS application is selected: by AID, or SELECT MF `00 A4 00 00` (middleware `SelectAID_IAS`). */
  select: 'ias-aid' | 'master-file';
  /** GET DATA for g, p, q: one combined request (CIE_Gemalto only) or three (middleware `InitDHParam`). */
  dhParameters: 'combined' | 'separate';
}

interface Signature {
  bytes: Uint8Array;
  family: CardFamily;
}

const byAid = (name: CardFamilyName, dhParameters: CardFamily['dhParameters'] = 'separate'): CardFamily => ({
  name,
  select: 'ias-aid',
  dhParameters,
});
const byMasterFile = (name: CardFamilyName): CardFamily => ({ name, select: 'master-file', dhParameters: 'separate' });

/**
 * Signature bytes from the middleware's `atr_list` (protocol §1.1), in its order; the first match wins.
 * We match them as a contiguous run of ATR bytes, not with the middleware's sorted-multiset inclusion, which can
 * classify unrelated ATRs. The Actalis/Bit4id rows (…4A 34 41/42/43/44/49, and opencie's 4C) share one prefix
 * and one behaviour, so the prefix alone identifies them.
 */
const SIGNATURES: Signature[] = [
  { bytes: hexToBytes('8031806549544E5850'), family: byMasterFile('NXP') },
  { bytes: hexToBytes('80318065B085040011'), family: byAid('Gemalto', 'combined') },
  { bytes: hexToBytes('80318065B0850300EF'), family: byAid('Gemalto2') },
  { bytes: hexToBytes('8066475000B8007F'), family: byAid('STM') },
  { bytes: hexToBytes('3B80800101'), family: byAid('STM2') },
  { bytes: hexToBytes('80018066475000B800948290'), family: byAid('STM3') },
  { bytes: hexToBytes('8031806549544A3441'), family: byMasterFile('Actalis') },
  { bytes: hexToBytes('8031806549544A3443'), family: byMasterFile('Actalis') },
  { bytes: hexToBytes('8031806549544A344C'), family: byMasterFile('Actalis') },
  { bytes: hexToBytes('8031806549544A34'), family: byMasterFile('Bit4id') },
];

function containsRun(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let i = 0; i < needle.length; i++) if (haystack[start + i] !== needle[i]) continue outer;
    return true;
  }
  return false;
}

/** Classifies a CIE 3.0 by its ATR; throws CardError('unsupported_card') for anything else (e.g. CIE v1/v2). */
export function detectCardFamily(atr: Uint8Array): CardFamily {
  const match = SIGNATURES.find((signature) => containsRun(atr, signature.bytes));
  if (!match) throw new CardError('unsupported_card', 'the ATR is not one of a known CIE 3.0 chip');
  return match.family;
}
