import type { KeyObject } from 'node:crypto';
import { statusOnly, type CardResponse } from './apdu.js';
import type { CieCardData } from './card-data.js';
import type { CardSession } from './card-session.js';
import { chipAuthenticate } from './dapp.js';
import type { RandomSource } from './key-agreement.js';
import { rsaModulusLength, rsaPkcs1Type1Sign } from './rsa.js';
import { SW } from './status-words.js';

/** PKCS#1 v1.5 type 01 needs at least 11 bytes of padding. */
function signPkcs1(key: KeyObject, data: Uint8Array): CardResponse {
  if (data.length === 0 || data.length > rsaModulusLength(key) - 11) return statusOnly(SW.WRONG_LENGTH);
  return { data: rsaPkcs1Type1Sign(key, data), sw: SW.OK };
}

/**
 * INTERNAL AUTHENTICATE `00 88 00 00`, three personalities chosen by the last MSE SET 41 A4:
 * key 82 = DAPP chip authentication; key 81 = signature over the host's DigestInfo (SM, DAPP and
 * verified PIN required; refused for good once the PUK is exhausted); key 83 = PIN-less services
 * key over the raw challenge (no SM needed, still works on a blocked card).
 */
export function internalAuthenticate(
  card: CieCardData,
  session: CardSession,
  data: Uint8Array,
  secure: boolean,
  random: RandomSource,
): CardResponse {
  switch (session.internalAuthKey) {
    case 0x82:
      return secure ? chipAuthenticate(card, session, data, random) : statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
    case 0x81:
      if (card.state.identityBlocked) return statusOnly(SW.AUTH_METHOD_BLOCKED);
      if (!secure || !session.dappComplete || !session.pinVerified) return statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
      return signPkcs1(card.authKey, data);
    case 0x83:
      return signPkcs1(card.servicesKey, data);
    default:
      return statusOnly(SW.CONDITIONS_NOT_SATISFIED);
  }
}
