import type { KeyObject } from 'node:crypto';

export interface CardHolder {
  fiscalCode: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  email?: string;
  documentNumber?: string;
}

/** Chip family: decides the ATR (and so which path a middleware-style host takes: SELECT AID vs SELECT MF). */
export type CardFamily = 'gemalto' | 'nxp';

/** Multiplicative DH group served by GET DATA, as big-endian bytes. */
export interface DhGroup {
  readonly g: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
}

/** Public part of the ref-84 CV-certificate issuer key, as GET DATA returns it. */
export interface DeviceAuthCaPublic {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  /** 5F20, 12 bytes; CAR = CHR[4..]. */
  readonly chr: Uint8Array;
  /** 5F4C, 7 bytes; CA_AID = CHA[0..6]. */
  readonly cha: Uint8Array;
}

/** What changes over a card's life and must survive restarts (written through `onStateChange`). */
export interface CardMutableState {
  pin: string;
  puk: string;
  pinTriesLeft: number;
  pukTriesLeft: number;
  /** PUK exhausted: the digital identity is blocked for good (no PIN operations, no signing). */
  identityBlocked: boolean;
}

/** Everything a virtual CIE holds. */
export interface CieCardData {
  readonly holder: CardHolder;
  /** 9 characters, e.g. CA00000AA (EF.Seriale). */
  readonly documentNumber: string;
  /** 12 ASCII digits (EF.ID_Servizi). */
  readonly nis: string;
  readonly family: CardFamily;
  /** 8-byte chip serial returned by DAPP INTERNAL AUTHENTICATE. */
  readonly snIcc: Uint8Array;
  /** Key ref 81: authentication/signature key. */
  readonly authKey: KeyObject;
  /** Content of EF 10 03 before zero padding (normally the DER X.509 certificate of the ref-81 key). */
  readonly authCertificate: Uint8Array;
  /** Key ref 82: DAPP chip key, public part in EF 10 04. */
  readonly chipKey: KeyObject;
  /** Key ref 83: PIN-less "services" key, public part in EF 10 05. */
  readonly servicesKey: KeyObject;
  readonly dhGroup: DhGroup;
  readonly deviceAuthCa: DeviceAuthCaPublic;
  /** EF.SOD (10 06): tag 77 around the CMS SignedData of the LDS security object; absent on older card files. */
  readonly sod?: Uint8Array;
  readonly state: CardMutableState;
}

export const PIN_TRIES = 3;
export const PUK_TRIES = 10;
