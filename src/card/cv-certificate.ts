import { encodeTlv } from './ber-tlv.js';
import { concatBytes, hexToBytes, leftPad } from './bytes.js';
import { iso9796Sign } from './crypto/iso9796-2.js';

/** Terminal constants identical in every implementation (protocol §2.5). */
export const TERMINAL_SERIAL_NUMBER = hexToBytes('2000000000000001');
/** CHR = 00000000 ‖ SN.IFD. */
export const TERMINAL_CHR = concatBytes(new Uint8Array(4), TERMINAL_SERIAL_NUMBER);
const CERTIFICATE_PROFILE_INDICATOR = Uint8Array.of(0x8a);
/** Base 2A 81 22 F4 2A 02 04 01 + SHA-256 id 04. */
const TERMINAL_KEY_OID = hexToBytes('2A8122F42A02040104');
const CHA_ROLE = 0x01;

export interface CvCertificateInput {
  ca: { n: Uint8Array; d: Uint8Array };
  terminal: { n: Uint8Array; e: Uint8Array };
  /** CHR of the card's CA key (GET DATA 5F20); CAR = CHR[4..]. */
  caChr: Uint8Array;
  /** CHA of the card's CA key (GET DATA 5F4C); CA AID = CHA[0..6]. */
  caCha: Uint8Array;
}

/**
 * The terminal's CV certificate, built and signed on the fly: body B = CPI ‖ CAR ‖ CHR ‖ CHA ‖ OID ‖ n_IFD ‖ e(4),
 * signed with ISO 9796-2 scheme 1 (SHA-256); certificate = 7F21 { 5F37 sig, 5F38 PkRem, 42 CAR }.
 */
export function buildCvCertificate(input: CvCertificateInput): Uint8Array {
  const car = input.caChr.slice(4);
  const cha = concatBytes(input.caCha.slice(0, 6), Uint8Array.of(CHA_ROLE));
  const body = concatBytes(
    CERTIFICATE_PROFILE_INDICATOR,
    car,
    TERMINAL_CHR,
    cha,
    TERMINAL_KEY_OID,
    input.terminal.n,
    leftPad(input.terminal.e, 4),
  );
  const { signature, nonRecoverable } = iso9796Sign(body, input.ca);
  return encodeTlv(
    0x7f21,
    concatBytes(encodeTlv(0x5f37, signature), encodeTlv(0x5f38, nonRecoverable), encodeTlv(0x42, car)),
  );
}
