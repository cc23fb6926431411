import { createDiffieHellman } from 'node:crypto';
import { statusOnly, type CardResponse, type CommandApdu } from './apdu.js';
import { concatBytes, leftPad, toHex } from './bytes.js';
import type { CieCardData } from './card-data.js';
import { newSession, type CardSession } from './card-session.js';
import { SmChannel } from './secure-messaging.js';
import { deriveSessionKeys } from './session-keys.js';
import { SW } from './status-words.js';
import { encodeTlv, findTlv, parseTlvs } from './tlv.js';

export type RandomSource = (length: number) => Uint8Array;

const ALGORITHM_DH_SHA256 = 0x9b;
const DH_KEY_REF = 0x81;
const SSC_AFTER_DH = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);

function domainParameter(tag: 0x97 | 0x98 | 0x99, value: Uint8Array): Uint8Array {
  return encodeTlv(0x70, encodeTlv(0xbfa101, encodeTlv(0xa3, encodeTlv(tag, value))));
}

/** GET DATA `00 CB 3F FF` with the request templates of protocol §2.2 (matched byte for byte). */
export function getData(card: CieCardData, session: CardSession, apdu: CommandApdu): CardResponse {
  if (apdu.p1 !== 0x3f || apdu.p2 !== 0xff) return statusOnly(SW.WRONG_P1P2);
  const { g, p, q } = card.dhGroup;
  switch (toHex(apdu.data)) {
    case '4D0A7008BFA10104A3029700':
      return { data: domainParameter(0x97, g), sw: SW.OK };
    case '4D0A7008BFA10104A3029800':
      return { data: domainParameter(0x98, p), sw: SW.OK };
    case '4D0A7008BFA10104A3029900':
      return { data: domainParameter(0x99, q), sw: SW.OK };
    case '4D087006BFA10102A380': {
      const all = concatBytes(encodeTlv(0x97, g), encodeTlv(0x98, p), encodeTlv(0x99, q));
      return { data: encodeTlv(0x70, encodeTlv(0xbfa101, encodeTlv(0xa3, all))), sw: SW.OK };
    }
    case '4D097007BFA004037F4980': {
      const ca = card.deviceAuthCa;
      const key = concatBytes(encodeTlv(0x81, ca.n), encodeTlv(0x82, ca.e), encodeTlv(0x5f20, ca.chr), encodeTlv(0x5f4c, ca.cha));
      return { data: encodeTlv(0x70, encodeTlv(0xbfa004, encodeTlv(0x7f49, key))), sw: SW.OK };
    }
    case '4D04A6029100':
      if (!session.dh) return statusOnly(SW.CONDITIONS_NOT_SATISFIED);
      return { data: encodeTlv(0xa6, encodeTlv(0x91, session.dh.yIcc)), sw: SW.OK };
    default:
      return statusOnly(SW.REFERENCE_NOT_FOUND);
  }
}

/** Card private exponent: uniform in [1, q−1] by rejection, |q| bytes of randomness per attempt. */
function drawPrivateExponent(q: Uint8Array, random: RandomSource): Uint8Array {
  const order = BigInt(`0x${toHex(q)}`);
  for (;;) {
    const candidate = random(q.length);
    const value = BigInt(`0x${toHex(candidate) || '0'}`);
    if (value > 0n && value < order) return candidate;
  }
}

/**
 * MSE SET KAT `41 A6` (`80 01 9B ‖ 83 01 81 ‖ 91 Y_IFD`): the card draws y, computes Y_ICC and Z and opens
 * a fresh SM session (SSC = 1). Any earlier security state is discarded; the current file selection stays.
 */
export function setKeyAgreement(card: CieCardData, session: CardSession, data: Uint8Array, random: RandomSource): CardResponse {
  const dos = parseTlvs(data);
  if (!dos) return statusOnly(SW.WRONG_DATA);
  const algorithm = findTlv(dos, 0x80);
  const keyRef = findTlv(dos, 0x83);
  const yIfdRaw = findTlv(dos, 0x91);
  if (!algorithm || !keyRef || !yIfdRaw) return statusOnly(SW.WRONG_DATA);
  if (algorithm.length !== 1 || algorithm[0] !== ALGORITHM_DH_SHA256) return statusOnly(SW.WRONG_DATA);
  if (keyRef.length !== 1 || keyRef[0] !== DH_KEY_REF) return statusOnly(SW.REFERENCE_NOT_FOUND);
  const { g, p, q } = card.dhGroup;
  const pLength = p.length;
  const yIfd = leftPad(yIfdRaw, pLength);
  const modulus = BigInt(`0x${toHex(p)}`);
  const y = BigInt(`0x${toHex(yIfd) || '0'}`);
  if (yIfd.length !== pLength || y <= 1n || y >= modulus - 1n) return statusOnly(SW.WRONG_DATA);

  const dh = createDiffieHellman(Buffer.from(p), Buffer.from(g));
  dh.setPrivateKey(Buffer.from(drawPrivateExponent(q, random)));
  const yIcc = leftPad(dh.generateKeys(), pLength);
  const z = leftPad(dh.computeSecret(Buffer.from(yIfd)), pLength);

  const fresh = newSession();
  Object.assign(session, fresh, { df: session.df, ef: session.ef });
  session.dh = { yIfd, yIcc };
  session.channel = new SmChannel(deriveSessionKeys(z), SSC_AFTER_DH);
  return statusOnly(SW.OK);
}
