import { concatBytes, equalBytes, hexToBytes } from './bytes.js';
import { CardError } from './card-error.js';
import type { RsaPublicKey } from './chip-public-key.js';
import {
  externalAuthenticate,
  getChallenge,
  internalAuthenticate,
  manageSecurityEnvironment,
  verifyCertificate,
} from './commands.js';
import type { DhGroup } from './crypto/dh.js';
import { iso9796Recover, iso9796Sign } from './crypto/iso9796-2.js';
import { sscAfterDeviceAuthentication } from './crypto/ssc.js';
import { TERMINAL_CHR, TERMINAL_SERIAL_NUMBER, buildCvCertificate } from './cv-certificate.js';
import type { DeviceAuthKeys } from './device-auth-keys.js';
import type { CaPublicKeyInfo } from './get-data.js';
import type { KeyAgreement } from './key-agreement.js';
import type { SecureChannel } from './secure-channel.js';
import { requireSuccess } from './status-word.js';

/** MSE SET DST: algorithm 41 (ISO 9796-2 + SHA-256), CA key ref 84. */
const DST_CA_KEY = hexToBytes('800141830184');
/** MSE SET AT: chip key ref 82, algorithm 9B. */
const AT_CHIP_KEY = hexToBytes('84018280019B');
const RANDOM_LENGTH = 8;
/** ISO 9796-2 with SHA-256: PRND fills k − 32 − 2 bytes of the message representative. */
const SHA256_OVERHEAD = 34;

export interface DeviceAuthenticationInput {
  group: DhGroup;
  agreement: KeyAgreement;
  chipKey: RsaPublicKey;
  caKey: CaPublicKeyInfo;
  keys: DeviceAuthKeys;
  random: (n: number) => Uint8Array;
}

function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  const start = bytes.findIndex((byte) => byte !== 0);
  return start === -1 ? new Uint8Array(0) : bytes.slice(start);
}

/**
 * DAPP under secure messaging (protocol §2.5): terminal CV certificate, EXTERNAL AUTHENTICATE of the terminal,
 * INTERNAL AUTHENTICATE of the chip (verified here with EF 10 04), then SSC := RND.ICC[4..8] ‖ RND.IFD[4..8].
 */
export async function authenticateDevice(channel: SecureChannel, input: DeviceAuthenticationInput): Promise<void> {
  const { group, agreement, chipKey, caKey, keys, random } = input;
  if (!equalBytes(withoutLeadingZeros(caKey.modulus), keys.ca.n)) {
    throw new CardError('device_auth_failed', 'the device-authentication CA key does not match the card (key ref 84)');
  }
  const gpq = concatBytes(group.g, group.p, group.q);

  // Hashed fields: PRND ‖ Y_IFD ‖ SN.IFD ‖ RND.ICC ‖ Y_ICC ‖ g ‖ p ‖ q (terminal), PRND2 ‖ Y_ICC ‖ SN.ICC ‖ RND.IFD ‖ Y_IFD ‖ g ‖ p ‖ q (chip).
  const certificate = buildCvCertificate({ ca: keys.ca, terminal: keys.terminal, caChr: caKey.chr, caCha: caKey.cha });
  const fail = 'device_auth_failed';
  // The middleware sends Le 00 with this MSE SET; the vectors follow it.
  requireSuccess(await channel.send(manageSecurityEnvironment(0x81, 0xb6, DST_CA_KEY, 256)), 'MSE SET DST', fail);
  requireSuccess(await channel.send(verifyCertificate(certificate)), 'PSO VERIFY CERTIFICATE', fail);
  const chr = concatBytes(Uint8Array.of(0x83, TERMINAL_CHR.length), TERMINAL_CHR);
  requireSuccess(await channel.send(manageSecurityEnvironment(0x81, 0xa4, chr)), 'MSE SET AT (terminal)', fail);

  const challenge = await channel.send(getChallenge());
  requireSuccess(challenge, 'GET CHALLENGE', fail);
  if (challenge.data.length !== RANDOM_LENGTH) throw new CardError('malformed_response', 'GET CHALLENGE: not 8 bytes');
  const rndIcc = challenge.data;

  const prnd = random(keys.terminal.n.length - SHA256_OVERHEAD);
  const terminalMessage = concatBytes(prnd, agreement.yIfd, TERMINAL_SERIAL_NUMBER, rndIcc, agreement.yIcc, gpq);
  const { signature } = iso9796Sign(terminalMessage, keys.terminal);
  const external = await channel.send(externalAuthenticate(concatBytes(TERMINAL_SERIAL_NUMBER, signature)));
  requireSuccess(external, 'EXTERNAL AUTHENTICATE', fail);

  requireSuccess(await channel.send(manageSecurityEnvironment(0x41, 0xa4, AT_CHIP_KEY)), 'MSE SET AT (chip)', fail);
  const rndIfd = random(RANDOM_LENGTH);
  const internal = await channel.send(internalAuthenticate(rndIfd));
  requireSuccess(internal, 'INTERNAL AUTHENTICATE (chip)', fail);
  if (internal.data.length !== RANDOM_LENGTH + chipKey.n.length) {
    throw new CardError('malformed_response', 'INTERNAL AUTHENTICATE (chip): unexpected length');
  }
  const snIcc = internal.data.slice(0, RANDOM_LENGTH);
  const chipSignature = internal.data.slice(RANDOM_LENGTH);
  const chipMessageRest = concatBytes(agreement.yIcc, snIcc, rndIfd, agreement.yIfd, gpq);
  if (!iso9796Recover(chipSignature, chipKey, chipMessageRest)) {
    throw new CardError('device_auth_failed', 'the chip signature does not verify with EF 10 04');
  }
  channel.resetSsc(sscAfterDeviceAuthentication(rndIcc, rndIfd));
}
