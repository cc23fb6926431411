import { concatBytes, fromHex, toHex } from '../../../src/simulator/card/bytes.js';
import { retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from '../../../src/simulator/card/des.js';
import { padIso9797M2, unpadIso9797M2 } from '../../../src/simulator/card/iso-padding.js';
import { incrementSsc } from '../../../src/simulator/card/ssc.js';
import { encodeTlv, findTlv, parseTlvs } from '../../../src/simulator/card/tlv.js';
import type { VirtualCardPort } from '../../../src/simulator/virtual-card-port.js';
import { exchange } from './exchange.js';
import { replayRandom, vectors, type Json } from './vectors.js';

const trace = vectors.cie_end_to_end_trace;

/** Randomness for a card that will go through the trace's DH + DAPP. */
export function traceRandom(): (length: number) => Uint8Array {
  return replayRandom([trace.dh.x_icc, trace.dapp_inputs.rnd_icc, trace.dapp_inputs.prnd2]);
}

export interface SmResult {
  readonly data: Uint8Array;
  readonly sw: number;
}

/**
 * A minimal host for the tests: speaks SM with given keys. `afterKeyAgreement` / `establish` replay the
 * trace's DH (+ DAPP) against a card personalised like the trace.
 */
export class SmHost {
  constructor(
    readonly card: VirtualCardPort,
    private readonly kEnc: Uint8Array,
    private readonly kMac: Uint8Array,
    private ssc: Uint8Array,
  ) {}

  /** DAPP step 7: SSC := RND.ICC[4..8] ‖ RND.IFD[4..8]. */
  resetSsc(ssc: Uint8Array): void {
    this.ssc = ssc;
  }

  /** SM command chaining: 231-byte blocks, CLA 1C on all but the last; returns the last block's answer. */
  sendChained(ins: number, p1: number, p2: number, data: Uint8Array): SmResult {
    let result: SmResult = { data: new Uint8Array(0), sw: 0x9000 };
    for (let offset = 0; offset < data.length; offset += 231) {
      const last = offset + 231 >= data.length;
      result = this.sendProtected(this.protect(last ? 0x00 : 0x10, ins, p1, p2, data.subarray(offset, offset + 231), undefined));
      if (result.sw !== 0x9000) return result;
    }
    return result;
  }

  /** SELECT IAS, SELECT DF_CIE and the trace's MSE SET KAT: SM keys agreed, no DAPP yet (SSC = 1). */
  static afterKeyAgreement(card: VirtualCardPort): SmHost {
    for (const apdu of ['00A4040C0DA0000000308000000009816001', '00A4040C06A00000000039']) {
      if (exchange(card, apdu) !== '9000') throw new Error(`setup ${apdu} failed`);
    }
    for (const apdu of [trace.dh.plain_apdus.mse_set_kat_block1, trace.dh.plain_apdus.mse_set_kat_block2]) {
      if (exchange(card, apdu) !== '9000') throw new Error('MSE SET KAT failed');
    }
    return new SmHost(card, fromHex(trace.dh.k_enc), fromHex(trace.dh.k_mac), fromHex(trace.dh.ssc_after_dh));
  }

  /** Key agreement + the trace's DAPP; the host continues from SSC_after_DAPP. */
  static establish(card: VirtualCardPort): SmHost {
    SmHost.afterKeyAgreement(card);
    for (const step of trace.steps as Json[]) {
      if (step.ssc) break;
      for (const pair of step.blocks ?? [step]) {
        const answer = exchange(card, pair.command.protected_apdu);
        if (answer !== pair.response.response_apdu) throw new Error(`DAPP step "${step.step}" answered ${answer}`);
      }
    }
    return new SmHost(card, fromHex(trace.dh.k_enc), fromHex(trace.dh.k_mac), fromHex(trace.dapp_inputs.ssc_after_dapp));
  }

  /** Protects, sends (following 61xx), checks and decrypts the answer; returns DO99 as the status word. */
  send(apduHex: string): SmResult {
    const apdu = fromHex(apduHex);
    const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
    const lc = apdu.length > 5 ? apdu[4]! : 0;
    const data = apdu.subarray(5, 5 + lc);
    const le = apdu.length === 5 ? apdu[4] : apdu.length === 6 + lc ? apdu[5 + lc] : undefined;
    return this.sendProtected(this.protect(cla, ins, p1, p2, data, le));
  }

  protect(cla: number, ins: number, p1: number, p2: number, data: Uint8Array, le: number | undefined): Uint8Array {
    this.ssc = incrementSsc(this.ssc);
    const header = Uint8Array.of(cla | 0x0c, ins, p1, p2);
    const dos: Uint8Array[] = [];
    if (data.length > 0) {
      const cryptogram = tdesCbcEncrypt(this.kEnc, padIso9797M2(data));
      dos.push(ins & 1 ? encodeTlv(0x85, cryptogram) : encodeTlv(0x87, concatBytes(Uint8Array.of(1), cryptogram)));
    }
    if (le !== undefined) dos.push(encodeTlv(0x97, Uint8Array.of(le)));
    const mac = retailMac(this.kMac, padIso9797M2(concatBytes(padIso9797M2(concatBytes(this.ssc, header)), ...dos)));
    const body = concatBytes(...dos, encodeTlv(0x8e, mac));
    return concatBytes(header, Uint8Array.of(body.length), body, Uint8Array.of(0));
  }

  sendProtected(command: Uint8Array): SmResult {
    const response = fromHex(exchange(this.card, toHex(command)));
    const outer = (response[response.length - 2]! << 8) | response[response.length - 1]!;
    const body = response.subarray(0, response.length - 2);
    if (body.length === 0) return { data: body, sw: outer };
    this.ssc = incrementSsc(this.ssc);
    const dos = parseTlvs(body)!;
    const macInput = concatBytes(this.ssc, ...dos.filter((d) => d.tag !== 0x8e).map((d) => d.raw));
    if (toHex(retailMac(this.kMac, padIso9797M2(macInput))) !== toHex(findTlv(dos, 0x8e)!)) throw new Error('bad response MAC');
    const status = findTlv(dos, 0x99)!;
    const cryptogram = findTlv(dos, 0x87);
    const plain = cryptogram ? unpadIso9797M2(tdesCbcDecrypt(this.kEnc, cryptogram.subarray(1)))! : new Uint8Array(0);
    return { data: plain, sw: (status[0]! << 8) | status[1]! };
  }
}

export function swHex(result: SmResult): string {
  return result.sw.toString(16).toUpperCase().padStart(4, '0');
}

/** `00 20 00 <ref> 08 <8 ASCII digits>` */
export function verifyApdu(ref: 0x81 | 0x82, code: string): string {
  return `002000${ref.toString(16).toUpperCase()}08${Buffer.from(code, 'ascii').toString('hex').toUpperCase()}`;
}
