import { type CommandApdu, type ResponseApdu, shortLeByte } from './apdu.js';
import { type Tlv, encodeTlv, parseTlvs } from './ber-tlv.js';
import { concatBytes, equalBytes } from './bytes.js';
import { CardError } from './card-error.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './crypto/des.js';
import { padIso9797M2, retailMac, unpadIso9797M2 } from './crypto/iso9797.js';
import type { SessionKeys } from './crypto/kdf.js';

/** IAS-ECC 3DES secure messaging (protocol §2.4). Pure: the caller owns the SSC and passes the incremented value. */

const TAG_CRYPTOGRAM_PADDED = 0x87; // even INS: 01 ‖ ciphertext
const TAG_CRYPTOGRAM = 0x85; // odd INS: ciphertext only
const TAG_LE = 0x97;
const TAG_STATUS = 0x99;
const TAG_MAC = 0x8e;
const PADDING_INDICATOR = 0x01;
const CLA_SECURE_MESSAGING = 0x0c;

function smError(message: string): CardError {
  return new CardError('secure_messaging', message);
}

/**
 * Wraps a plain command: DO 87/85 (encrypted data), DO 97 (Le), DO 8E (retail MAC over
 * pad(pad(SSC ‖ header') ‖ DOs)); Le of the protected APDU is always `00` (as the middleware sends it).
 * A chained block arrives with CLA `10` and leaves as `1C`.
 */
export function protectCommand(keys: SessionKeys, ssc: Uint8Array, command: CommandApdu): CommandApdu {
  const cla = command.cla | CLA_SECURE_MESSAGING;
  const header = Uint8Array.of(cla, command.ins, command.p1, command.p2);
  const data = command.data ?? new Uint8Array(0);
  let cryptogram: Uint8Array = new Uint8Array(0);
  if (data.length > 0) {
    const encrypted = tripleDesCbcEncrypt(keys.kEnc, padIso9797M2(data));
    cryptogram =
      command.ins % 2 === 0
        ? encodeTlv(TAG_CRYPTOGRAM_PADDED, concatBytes(Uint8Array.of(PADDING_INDICATOR), encrypted))
        : encodeTlv(TAG_CRYPTOGRAM, encrypted);
  }
  const le = command.le === undefined ? new Uint8Array(0) : encodeTlv(TAG_LE, Uint8Array.of(shortLeByte(command.le)));
  const mac = retailMac(keys.kMac, padIso9797M2(concatBytes(padIso9797M2(concatBytes(ssc, header)), cryptogram, le)));
  return {
    cla,
    ins: command.ins,
    p1: command.p1,
    p2: command.p2,
    data: concatBytes(cryptogram, le, encodeTlv(TAG_MAC, mac)),
    le: 256,
  };
}

function decryptCryptogram(keys: SessionKeys, tlv: Tlv): Uint8Array {
  let ciphertext = tlv.value;
  if (tlv.tag === TAG_CRYPTOGRAM_PADDED) {
    if (ciphertext[0] !== PADDING_INDICATOR) throw smError('DO 87 without padding indicator 01');
    ciphertext = ciphertext.slice(1);
  }
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0) throw smError('cryptogram is not whole 3DES blocks');
  const plain = unpadIso9797M2(tripleDesCbcDecrypt(keys.kEnc, ciphertext));
  if (!plain) throw smError('cryptogram padding is invalid');
  return plain;
}

/**
 * Unwraps a protected response body `[87|85] 99 8E`: checks the MAC over pad(SSC ‖ DOs before 8E),
 * decrypts the data, and returns the status word carried in DO 99 (the effective one).
 */
export function unprotectResponse(keys: SessionKeys, ssc: Uint8Array, body: Uint8Array): ResponseApdu {
  const tlvs = parseTlvs(body);
  const macIndex = tlvs.findIndex((tlv) => tlv.tag === TAG_MAC);
  if (macIndex === -1) throw smError('response has no MAC (DO 8E)');
  if (macIndex !== tlvs.length - 1) throw smError('data objects after the MAC');
  const covered = tlvs.slice(0, macIndex);
  const status = covered.find((tlv) => tlv.tag === TAG_STATUS);
  const cryptograms = covered.filter((tlv) => tlv.tag === TAG_CRYPTOGRAM_PADDED || tlv.tag === TAG_CRYPTOGRAM);
  if (!status || status.value.length !== 2) throw smError('response has no status word (DO 99)');
  if (cryptograms.length > 1 || covered.length !== cryptograms.length + 1) throw smError('unexpected data objects');
  const expectedMac = retailMac(keys.kMac, padIso9797M2(concatBytes(ssc, ...covered.map((tlv) => tlv.raw))));
  if (!equalBytes(tlvs[macIndex]!.value, expectedMac)) throw smError('response MAC does not verify');
  const cryptogram = cryptograms[0];
  return {
    data: cryptogram ? decryptCryptogram(keys, cryptogram) : new Uint8Array(0),
    sw: (status.value[0]! << 8) | status.value[1]!,
  };
}
