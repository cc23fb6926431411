import { timingSafeEqual } from 'node:crypto';
import type { CardResponse, CommandApdu } from './apdu.js';
import { concatBytes } from './bytes.js';
import { retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from './des.js';
import { padIso9797M2, unpadIso9797M2 } from './iso-padding.js';
import type { SmKeys } from './session-keys.js';
import { incrementSsc } from './ssc.js';
import { SW } from './status-words.js';
import { encodeTlv, parseTlvs } from './tlv.js';

const DO_CRYPTOGRAM_PADDED = 0x87;
const DO_CRYPTOGRAM_ODD_INS = 0x85;
const DO_LE = 0x97;
const DO_STATUS = 0x99;
const DO_MAC = 0x8e;
/** Before DO 8E: an optional cryptogram (87 or 85) then an optional Le (97), in that order. */
const ALLOWED_DO_SEQUENCES = new Set(
  [[], [DO_LE], [DO_CRYPTOGRAM_PADDED], [DO_CRYPTOGRAM_ODD_INS], [DO_CRYPTOGRAM_PADDED, DO_LE], [DO_CRYPTOGRAM_ODD_INS, DO_LE]].map(
    (sequence) => sequence.join(','),
  ),
);

/**
 * The card side of one IAS-ECC 3DES secure-messaging session (protocol §2.4): checks and decrypts
 * protected commands, protects responses. The SSC is incremented before every command and every response.
 */
export class SmChannel {
  constructor(
    private readonly keys: SmKeys,
    private ssc: Uint8Array,
  ) {}

  get sendSequenceCounter(): Uint8Array {
    return this.ssc;
  }

  /** DAPP re-initialises the SSC once the chip has answered INTERNAL AUTHENTICATE. */
  resetSsc(ssc: Uint8Array): void {
    this.ssc = ssc;
  }

  /** Returns the plain command, or undefined when the DOs or the MAC are wrong (the card answers `6988`). */
  unwrapCommand(command: CommandApdu): CommandApdu | undefined {
    this.ssc = incrementSsc(this.ssc);
    const dos = parseTlvs(command.data);
    if (!dos || dos.length === 0) return undefined;
    const macDo = dos[dos.length - 1]!;
    if (macDo.tag !== DO_MAC || macDo.value.length !== 8) return undefined;
    const protectedDos = dos.slice(0, -1);
    const tags = protectedDos.map((tlv) => tlv.tag).join(',');
    if (!ALLOWED_DO_SEQUENCES.has(tags)) return undefined;

    const header = Uint8Array.of(command.cla, command.ins, command.p1, command.p2);
    const macInput = concatBytes(padIso9797M2(concatBytes(this.ssc, header)), ...protectedDos.map((tlv) => tlv.raw));
    const expectedMac = retailMac(this.keys.kMac, padIso9797M2(macInput));
    if (!timingSafeEqual(expectedMac, macDo.value)) return undefined;

    let data: Uint8Array = new Uint8Array(0);
    let ne: number | undefined;
    for (const tlv of protectedDos) {
      if (tlv.tag === DO_LE) {
        if (tlv.value.length !== 1) return undefined;
        ne = tlv.value[0] === 0 ? 256 : tlv.value[0];
      } else {
        const cryptogram = tlv.tag === DO_CRYPTOGRAM_PADDED ? this.stripPaddingIndicator(tlv.value) : tlv.value;
        if (!cryptogram || cryptogram.length === 0 || cryptogram.length % 8 !== 0) return undefined;
        const plain = unpadIso9797M2(tdesCbcDecrypt(this.keys.kEnc, cryptogram));
        if (!plain) return undefined;
        data = plain;
      }
    }
    // CLA 0C → 00, 1C → 10: the chaining bit survives, the SM bits are consumed here.
    return { cla: command.cla & ~0x0c, ins: command.ins, p1: command.p1, p2: command.p2, data, ne };
  }

  /**
   * Protects a response: DO87/85 (if data) ‖ DO99 (the real status) ‖ DO8E. The outer status word is
   * 9000 even for errors, except `6282` which is repeated outside so middleware-style hosts stop reading
   * (protocol §3 inference and vector `cie-sm-resp-eof-6282`).
   */
  wrapResponse(ins: number, response: CardResponse): CardResponse {
    this.ssc = incrementSsc(this.ssc);
    const parts: Uint8Array[] = [];
    if (response.data.length > 0) {
      const cryptogram = tdesCbcEncrypt(this.keys.kEnc, padIso9797M2(response.data));
      parts.push(
        (ins & 1) === 1
          ? encodeTlv(DO_CRYPTOGRAM_ODD_INS, cryptogram)
          : encodeTlv(DO_CRYPTOGRAM_PADDED, concatBytes(Uint8Array.of(0x01), cryptogram)),
      );
    }
    parts.push(encodeTlv(DO_STATUS, Uint8Array.of(response.sw >> 8, response.sw & 0xff)));
    const mac = retailMac(this.keys.kMac, padIso9797M2(concatBytes(this.ssc, ...parts)));
    const body = concatBytes(...parts, encodeTlv(DO_MAC, mac));
    return { data: body, sw: response.sw === SW.END_OF_FILE ? SW.END_OF_FILE : SW.OK };
  }

  private stripPaddingIndicator(value: Uint8Array): Uint8Array | undefined {
    return value[0] === 0x01 ? value.subarray(1) : undefined;
  }
}
