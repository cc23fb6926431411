import { createHash } from 'node:crypto';
import { statusOnly, type CardResponse } from './apdu.js';
import { bytesEqual, concatBytes } from './bytes.js';
import type { CieCardData } from './card-data.js';
import type { CardSession } from './card-session.js';
import { iso9796Recover, iso9796Sign, recoverableLength } from './iso9796-2.js';
import type { RandomSource } from './key-agreement.js';
import { rsaModulusLength, rsaPublicKey } from './rsa.js';
import { SW } from './status-words.js';
import { parseTlvs, findTlv } from './tlv.js';

/** DAPP, the card side of protocol §2.5: terminal CV certificate, EXTERNAL and INTERNAL AUTHENTICATE. */

const CPI = 0x8a;
const CV_OID_PREFIX = Uint8Array.of(0x2a, 0x81, 0x22, 0xf4, 0x2a, 0x02, 0x04, 0x01);
/** The terminal public exponent travels as 4 bytes (`00 01 00 01`), the modulus fills the rest of the body. */
const TERMINAL_EXPONENT_LENGTH = 4;
/** RND.ICC and RND.IFD: 8 bytes each, their last 4 bytes seed the SSC after DAPP. */
const RND_LENGTH = 8;

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function caCar(card: CieCardData): Uint8Array {
  return card.deviceAuthCa.chr.subarray(4);
}

/**
 * PSO VERIFY CERTIFICATE `00 2A 00 AE` with `7F21 { 5F37 sig, 5F38 PkRem, 42 CAR }`: recovers the body
 * B = CPI ‖ CAR ‖ CHR ‖ CHA ‖ OID ‖ n_IFD ‖ e with the ref-84 CA key (ISO 9796-2) and remembers the terminal key.
 */
export function verifyTerminalCertificate(card: CieCardData, session: CardSession, data: Uint8Array): CardResponse {
  if (!session.caKeySelected) return statusOnly(SW.CONDITIONS_NOT_SATISFIED);
  const outer = parseTlvs(data);
  const certificate = outer?.length === 1 && outer[0]!.tag === 0x7f21 ? parseTlvs(outer[0]!.value) : undefined;
  const signature = certificate && findTlv(certificate, 0x5f37);
  const remainder = certificate && findTlv(certificate, 0x5f38);
  const car = certificate && findTlv(certificate, 0x42);
  if (!signature || !remainder || !car) return statusOnly(SW.WRONG_DATA);
  if (!bytesEqual(car, caCar(card))) return statusOnly(SW.REFERENCE_NOT_FOUND);

  const recovered = iso9796Recover(rsaPublicKey(card.deviceAuthCa.n, card.deviceAuthCa.e), signature);
  if (!recovered) return statusOnly(SW.VERIFICATION_FAILED);
  const body = concatBytes(recovered.recoverable, remainder);
  if (!bytesEqual(sha256(body), recovered.hash)) return statusOnly(SW.VERIFICATION_FAILED);

  const cha = body.subarray(21, 28);
  const oid = body.subarray(28, 37);
  const modulus = body.subarray(37, body.length - TERMINAL_EXPONENT_LENGTH);
  if (
    body[0] !== CPI ||
    !bytesEqual(body.subarray(1, 9), caCar(card)) ||
    !bytesEqual(cha.subarray(0, 6), card.deviceAuthCa.cha.subarray(0, 6)) ||
    !bytesEqual(oid.subarray(0, CV_OID_PREFIX.length), CV_OID_PREFIX) ||
    modulus.length < 128
  ) {
    return statusOnly(SW.WRONG_DATA);
  }
  session.terminal = {
    chr: Uint8Array.from(body.subarray(9, 21)),
    publicKey: rsaPublicKey(modulus, body.subarray(body.length - TERMINAL_EXPONENT_LENGTH)),
  };
  session.terminalKeySelected = false;
  session.terminalAuthenticated = undefined;
  return statusOnly(SW.OK);
}

/** MSE SET `81 A4` `83 0C <CHR>`: the CHR must be the one of the certificate just verified. */
export function selectTerminalKey(session: CardSession, chr: Uint8Array): CardResponse {
  if (!session.terminal || !bytesEqual(session.terminal.chr, chr)) return statusOnly(SW.REFERENCE_NOT_FOUND);
  session.terminalKeySelected = true;
  return statusOnly(SW.OK);
}

/** GET CHALLENGE: RND.ICC for the next EXTERNAL AUTHENTICATE. */
export function getChallenge(session: CardSession, ne: number | undefined, random: RandomSource): CardResponse {
  if (ne === undefined) return statusOnly(SW.WRONG_LENGTH);
  session.rndIcc = random(ne);
  return { data: session.rndIcc, sw: SW.OK };
}

/**
 * EXTERNAL AUTHENTICATE with SN.IFD ‖ sig, sig = ISO 9796-2(PRND ‖ SHA-256(PRND ‖ Y_IFD ‖ SN.IFD ‖ RND.ICC ‖ Y_ICC ‖ g ‖ p ‖ q)).
 * The challenge is single use, whatever the outcome.
 */
export function externalAuthenticate(card: CieCardData, session: CardSession, data: Uint8Array): CardResponse {
  const { terminal, dh, rndIcc } = session;
  session.rndIcc = undefined;
  if (!terminal || !session.terminalKeySelected || !dh || rndIcc?.length !== RND_LENGTH) {
    return statusOnly(SW.CONDITIONS_NOT_SATISFIED);
  }
  if (data.length !== 8 + rsaModulusLength(terminal.publicKey)) return statusOnly(SW.WRONG_LENGTH);
  const snIfd = data.subarray(0, 8);
  if (!bytesEqual(snIfd, terminal.chr.subarray(4))) return statusOnly(SW.VERIFICATION_FAILED);
  const recovered = iso9796Recover(terminal.publicKey, data.subarray(8));
  const { g, p, q } = card.dhGroup;
  const expected = recovered && sha256(recovered.recoverable, dh.yIfd, snIfd, rndIcc, dh.yIcc, g, p, q);
  if (!recovered || !expected || !bytesEqual(expected, recovered.hash)) return statusOnly(SW.VERIFICATION_FAILED);
  session.terminalAuthenticated = { rndIcc };
  return statusOnly(SW.OK);
}

/**
 * INTERNAL AUTHENTICATE with key 82: answers SN.ICC ‖ ISO 9796-2(PRND2 ‖ SHA-256(PRND2 ‖ Y_ICC ‖ SN.ICC ‖ RND.IFD ‖ Y_IFD ‖ g ‖ p ‖ q)),
 * then (once this answer is protected) SSC := RND.ICC[4..8] ‖ RND.IFD[4..8].
 */
export function chipAuthenticate(card: CieCardData, session: CardSession, rndIfd: Uint8Array, random: RandomSource): CardResponse {
  const { dh, terminalAuthenticated } = session;
  if (!dh || !terminalAuthenticated) return statusOnly(SW.CONDITIONS_NOT_SATISFIED);
  if (rndIfd.length !== RND_LENGTH) return statusOnly(SW.WRONG_LENGTH);
  const prnd2 = random(recoverableLength(card.chipKey));
  const { g, p, q } = card.dhGroup;
  const hash = sha256(prnd2, dh.yIcc, card.snIcc, rndIfd, dh.yIfd, g, p, q);
  const signature = iso9796Sign(card.chipKey, prnd2, hash);
  session.sscAfterResponse = concatBytes(terminalAuthenticated.rndIcc.subarray(4, 8), rndIfd.subarray(4, 8));
  session.dappComplete = true;
  return { data: concatBytes(card.snIcc, signature), sw: SW.OK };
}
