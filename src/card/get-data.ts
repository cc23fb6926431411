import { findValue } from './ber-tlv.js';
import { hexToBytes } from './bytes.js';
import type { DhGroup } from './crypto/dh.js';

/** GET DATA header lists and response structures (protocol §2.2). */

export const DH_PARAMETER_TAGS = { g: 0x97, p: 0x98, q: 0x99 } as const;
const TAG_TEMPLATE = 0x70;
const TAG_DH_DOMAIN = 0xbfa101;
const TAG_DH_PARAMETERS = 0xa3;
const TAG_CA_KEY_SDO = 0xbfa004;
const TAG_PUBLIC_KEY = 0x7f49;
const TAG_KAT = 0xa6;
const TAG_DH_PUBLIC_KEY = 0x91;

/** One DH parameter (non-Gemalto families): `4D 0A 70 08 BF A1 01 04 A3 02 <tag> 00`. */
export const dhParameterRequest = (tag: number): Uint8Array => hexToBytes(`4D0A7008BFA10104A302${tag.toString(16)}00`);
/** g, p, q in one answer (CIE_Gemalto). */
export const dhParametersRequest = (): Uint8Array => hexToBytes('4D087006BFA10102A380');
export const caPublicKeyRequest = (): Uint8Array => hexToBytes('4D097007BFA004037F4980');
export const cardDhPublicKeyRequest = (): Uint8Array => hexToBytes('4D04A6029100');

export function parseDhParameter(response: Uint8Array, tag: number): Uint8Array {
  return findValue(response, TAG_TEMPLATE, TAG_DH_DOMAIN, TAG_DH_PARAMETERS, tag);
}

export function parseDhParameters(response: Uint8Array): DhGroup {
  const parameters = findValue(response, TAG_TEMPLATE, TAG_DH_DOMAIN, TAG_DH_PARAMETERS);
  return {
    g: findValue(parameters, DH_PARAMETER_TAGS.g),
    p: findValue(parameters, DH_PARAMETER_TAGS.p),
    q: findValue(parameters, DH_PARAMETER_TAGS.q),
  };
}

/** The CV-certificate CA key (ref 84) as the card describes it. */
export interface CaPublicKeyInfo {
  modulus: Uint8Array;
  exponent: Uint8Array;
  /** CHR (5F20); CAR = CHR[4..]. */
  chr: Uint8Array;
  /** CHA (5F4C); CA AID = CHA[0..6]. */
  cha: Uint8Array;
}

export function parseCaPublicKey(response: Uint8Array): CaPublicKeyInfo {
  const key = findValue(response, TAG_TEMPLATE, TAG_CA_KEY_SDO, TAG_PUBLIC_KEY);
  return {
    modulus: findValue(key, 0x81),
    exponent: findValue(key, 0x82),
    chr: findValue(key, 0x5f20),
    cha: findValue(key, 0x5f4c),
  };
}

export function parseCardDhPublicKey(response: Uint8Array): Uint8Array {
  return findValue(response, TAG_KAT, TAG_DH_PUBLIC_KEY);
}
