import { encodeTlv, parseTlvs } from '../../../src/card/ber-tlv.js';
import { concatBytes, equalBytes } from '../../../src/card/bytes.js';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../../../src/card/crypto/des.js';
import { padIso9797M2, retailMac, unpadIso9797M2 } from '../../../src/card/crypto/iso9797.js';
import type { SessionKeys } from '../../../src/card/crypto/kdf.js';

/**
 * The card's half of secure messaging, for the scripted fake card only (the host never wraps responses).
 * Built from the primitives that the known-answer tests pin down.
 */
export function wrapResponse(keys: SessionKeys, ssc: Uint8Array, data: Uint8Array, sw: number): Uint8Array {
  const cryptogram =
    data.length === 0
      ? new Uint8Array(0)
      : encodeTlv(0x87, concatBytes(Uint8Array.of(1), tripleDesCbcEncrypt(keys.kEnc, padIso9797M2(data))));
  const status = encodeTlv(0x99, Uint8Array.of(sw >> 8, sw & 0xff));
  const mac = retailMac(keys.kMac, padIso9797M2(concatBytes(ssc, cryptogram, status)));
  return concatBytes(cryptogram, status, encodeTlv(0x8e, mac), Uint8Array.of(0x90, 0x00));
}

export interface UnwrappedCommand {
  header: Uint8Array;
  data: Uint8Array;
  le?: number;
}

/** Checks the MAC of a protected command and decrypts it (short APDUs, DO 87 / 97 / 8E). */
export function unwrapCommand(keys: SessionKeys, ssc: Uint8Array, apdu: Uint8Array): UnwrappedCommand {
  const header = apdu.slice(0, 4);
  const lc = apdu[4]!;
  const tlvs = parseTlvs(apdu.slice(5, 5 + lc));
  const mac = tlvs.find((t) => t.tag === 0x8e);
  const covered = tlvs.filter((t) => t.tag !== 0x8e);
  const expected = retailMac(
    keys.kMac,
    padIso9797M2(concatBytes(padIso9797M2(concatBytes(ssc, header)), ...covered.map((t) => t.raw))),
  );
  if (!mac || !equalBytes(mac.value, expected)) throw new Error('fake card: command MAC does not verify');
  const do87 = tlvs.find((t) => t.tag === 0x87);
  const do97 = tlvs.find((t) => t.tag === 0x97);
  const data = do87 ? unpadIso9797M2(tripleDesCbcDecrypt(keys.kEnc, do87.value.slice(1)))! : new Uint8Array(0);
  return { header, data, le: do97 ? do97.value[0] || 256 : undefined };
}
