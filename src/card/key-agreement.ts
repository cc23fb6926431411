import { encodeTlv } from './ber-tlv.js';
import { concatBytes, hexToBytes } from './bytes.js';
import type { CardFamily } from './card-family.js';
import type { CommandChannel } from './command-channel.js';
import { getData, manageSecurityEnvironment } from './commands.js';
import { type DhGroup, dhPublicKey, dhSharedSecret, generateDhPrivateKey } from './crypto/dh.js';
import { type SessionKeys, deriveSessionKeys } from './crypto/kdf.js';
import {
  DH_PARAMETER_TAGS,
  cardDhPublicKeyRequest,
  dhParameterRequest,
  dhParametersRequest,
  parseCardDhPublicKey,
  parseDhParameter,
  parseDhParameters,
} from './get-data.js';
import { requireSuccess } from './status-word.js';

/** MSE SET KAT template: algorithm 9B (DH with SHA-256), DH key ref 81, then DO 91 = Y_IFD. */
const KAT_PREFIX = hexToBytes('80019B830181');

async function getDataValue(channel: CommandChannel, headerList: Uint8Array, what: string): Promise<Uint8Array> {
  const response = await channel.send(getData(headerList));
  requireSuccess(response, `GET DATA ${what}`);
  return response.data;
}

/** g, p, q from the card: one combined GET DATA on CIE_Gemalto, three on every other family. */
export async function readDhGroup(channel: CommandChannel, family: CardFamily): Promise<DhGroup> {
  if (family.dhParameters === 'combined') return parseDhParameters(await getDataValue(channel, dhParametersRequest(), 'DH g,p,q'));
  const read = async (name: keyof typeof DH_PARAMETER_TAGS) =>
    parseDhParameter(
      await getDataValue(channel, dhParameterRequest(DH_PARAMETER_TAGS[name]), `DH ${name}`),
      DH_PARAMETER_TAGS[name],
    );
  return { g: await read('g'), p: await read('p'), q: await read('q') };
}

export interface KeyAgreement {
  /** Terminal DH public key as sent (|p| bytes). */
  yIfd: Uint8Array;
  /** Card DH public key as received. */
  yIcc: Uint8Array;
  keys: SessionKeys;
}

/** Plain DH: MSE SET KAT with Y_IFD (chained when over 255 bytes), GET DATA Y_ICC, keys from Z (protocol §2.3). */
export async function agreeSessionKeys(
  channel: CommandChannel,
  group: DhGroup,
  random: (n: number) => Uint8Array,
): Promise<KeyAgreement> {
  const x = generateDhPrivateKey(group.q, random);
  const yIfd = dhPublicKey(group, x);
  const kat = concatBytes(KAT_PREFIX, encodeTlv(0x91, yIfd));
  requireSuccess(await channel.send(manageSecurityEnvironment(0x41, 0xa6, kat)), 'MSE SET KAT', 'device_auth_failed');
  const yIcc = parseCardDhPublicKey(await getDataValue(channel, cardDhPublicKeyRequest(), 'card DH public key'));
  return { yIfd, yIcc, keys: deriveSessionKeys(dhSharedSecret(group, x, yIcc)) };
}
