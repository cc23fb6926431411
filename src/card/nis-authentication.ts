import type { ApduStats } from './apdu-link.js';
import { CardError } from './card-error.js';
import type { CommandChannel } from './command-channel.js';
import { manageSecurityEnvironment, readBinaryBySfi, servicesInternalAuthenticate } from './commands.js';
import { hexToBytes } from './bytes.js';
import { readDerFile } from './file-reader.js';
import { requireSuccess } from './status-word.js';

/** What a verifier needs for "NIS authentication" (protocol §6), read in plain, without PIN. */
export interface NisEvidence {
  /** EF.ID_Servizi (10 01), 12 printable ASCII characters. */
  nis: string;
  /** EF.Servizi_Int.Kpub (10 05): PKCS#1 RSAPublicKey DER of key 83, up to its DER length. */
  servicesPublicKey: Uint8Array;
  /** EF.SOD (10 06): tag 77 around the CMS SignedData, up to its DER length. */
  securityObject: Uint8Array;
  challenge: Uint8Array;
  /** Key 83's answer to INTERNAL AUTHENTICATE: PKCS#1 v1.5 type-01 signature over the raw challenge. */
  signature: Uint8Array;
  stats: ApduStats;
}

/** EF.ID_Servizi (NIS): SFI 1, 12 bytes, readable in plain without PIN. */
const NIS_SFI = 0x01;
const NIS_LENGTH = 12;
const SERVICES_KEY_FID = Uint8Array.of(0x10, 0x05);
const SECURITY_OBJECT_FID = Uint8Array.of(0x10, 0x06);
/** MSE SET AT: algorithm 02 (PKCS#1 v1.5 without data formatting), key ref 83 (protocol §6). */
const AT_SERVICES_KEY = hexToBytes('800102840183');
/** PKCS#1 v1.5 type 01 leaves k − 11 bytes for the data (245 with a 2048-bit key); 8 is the shortest seen (PN532). */
const MIN_CHALLENGE = 8;
const MAX_CHALLENGE = 245;

export async function readNisFile(channel: CommandChannel): Promise<string> {
  const response = await channel.send(readBinaryBySfi(NIS_SFI, 0, NIS_LENGTH));
  requireSuccess(response, 'READ BINARY NIS');
  if (response.data.length !== NIS_LENGTH || response.data.some((byte) => byte < 0x20 || byte > 0x7e)) {
    throw new CardError('malformed_response', 'the NIS is not 12 printable ASCII characters');
  }
  return Buffer.from(response.data).toString('latin1');
}

export function checkChallenge(challenge: Uint8Array): void {
  if (challenge.length < MIN_CHALLENGE || challenge.length > MAX_CHALLENGE) {
    throw new CardError('invalid_challenge', `the challenge must be ${MIN_CHALLENGE} to ${MAX_CHALLENGE} bytes`);
  }
}

/**
 * With DF_CIE selected, in plain: the NIS, EF 10 05, EF.SOD, then MSE SET key 83 + INTERNAL AUTHENTICATE over
 * the challenge (the PIN-less clone check). Checking it all against the CSCA is the verifier's job (`cie/nis/`).
 */
export async function readNisEvidence(channel: CommandChannel, challenge: Uint8Array): Promise<Omit<NisEvidence, 'stats'>> {
  const nis = await readNisFile(channel);
  const servicesPublicKey = await readDerFile(channel, SERVICES_KEY_FID);
  const securityObject = await readDerFile(channel, SECURITY_OBJECT_FID);
  requireSuccess(await channel.send(manageSecurityEnvironment(0x41, 0xa4, AT_SERVICES_KEY)), 'MSE SET AT (services key)');
  const signed = await channel.send(servicesInternalAuthenticate(challenge));
  requireSuccess(signed, 'INTERNAL AUTHENTICATE (services key)');
  if (signed.data.length === 0) throw new CardError('malformed_response', 'the card returned an empty signature');
  return { nis, servicesPublicKey, securityObject, challenge, signature: signed.data };
}
