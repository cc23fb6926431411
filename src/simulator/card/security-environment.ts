import { statusOnly, type CardResponse, type CommandApdu } from './apdu.js';
import type { CieCardData } from './card-data.js';
import type { CardSession, InternalAuthKeyRef } from './card-session.js';
import { selectTerminalKey } from './dapp.js';
import { setKeyAgreement, type RandomSource } from './key-agreement.js';
import { SW } from './status-words.js';
import { findTlv, parseTlvs } from './tlv.js';

const ALGORITHM_ISO9796_SHA256 = 0x41;
const ALGORITHM_DH_SHA256 = 0x9b;
const ALGORITHM_PKCS1 = 0x02;
const CA_KEY_REF = 0x84;

/** Which algorithm each INTERNAL AUTHENTICATE key accepts (protocol §2.1). */
const INTERNAL_AUTH_ALGORITHM: Record<InternalAuthKeyRef, number> = { 0x81: ALGORITHM_PKCS1, 0x82: ALGORITHM_DH_SHA256, 0x83: ALGORITHM_PKCS1 };

function singleByte(value: Uint8Array | undefined): number | undefined {
  return value?.length === 1 ? value[0] : undefined;
}

/**
 * MSE SET: `41 A6` key agreement (plain only), `81 B6` DST with CA key 84, `81 A4` AT with the terminal CHR,
 * `41 A4` AT choosing the INTERNAL AUTHENTICATE key (82/9B, 81/02, 83/02). DOs may come in any order.
 */
export function manageSecurityEnvironment(
  card: CieCardData,
  session: CardSession,
  apdu: CommandApdu,
  secure: boolean,
  random: RandomSource,
): CardResponse {
  if (apdu.p1 === 0x41 && apdu.p2 === 0xa6) {
    // A new key agreement replaces the SM session; under SM the answer could not be protected consistently.
    return secure ? statusOnly(SW.CONDITIONS_NOT_SATISFIED) : setKeyAgreement(card, session, apdu.data, random);
  }
  const dos = parseTlvs(apdu.data);
  if (!dos) return statusOnly(SW.WRONG_DATA);
  if (apdu.p1 === 0x81 && apdu.p2 === 0xb6) {
    if (singleByte(findTlv(dos, 0x80)) !== ALGORITHM_ISO9796_SHA256) return statusOnly(SW.WRONG_DATA);
    if (singleByte(findTlv(dos, 0x83)) !== CA_KEY_REF) return statusOnly(SW.REFERENCE_NOT_FOUND);
    session.caKeySelected = true;
    return statusOnly(SW.OK);
  }
  if (apdu.p1 === 0x81 && apdu.p2 === 0xa4) {
    const chr = findTlv(dos, 0x83);
    return chr ? selectTerminalKey(session, chr) : statusOnly(SW.WRONG_DATA);
  }
  if (apdu.p1 === 0x41 && apdu.p2 === 0xa4) {
    const keyRef = singleByte(findTlv(dos, 0x84));
    if (keyRef !== 0x81 && keyRef !== 0x82 && keyRef !== 0x83) return statusOnly(SW.REFERENCE_NOT_FOUND);
    if (singleByte(findTlv(dos, 0x80)) !== INTERNAL_AUTH_ALGORITHM[keyRef]) return statusOnly(SW.WRONG_DATA);
    session.internalAuthKey = keyRef;
    return statusOnly(SW.OK);
  }
  return statusOnly(SW.WRONG_P1P2);
}
