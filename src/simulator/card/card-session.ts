import type { KeyObject } from 'node:crypto';
import type { DfId, ElementaryFile } from './file-system.js';
import type { SmChannel } from './secure-messaging.js';

/** The key an INTERNAL AUTHENTICATE will use, chosen by MSE SET 41 A4. */
export type InternalAuthKeyRef = 0x81 | 0x82 | 0x83;

/** Volatile state: everything a reset or power cycle forgets. */
export interface CardSession {
  df: DfId;
  ef: ElementaryFile | undefined;
  /** Set by MSE SET KAT: both DH public values, fixed |p|-byte encoding. */
  dh: { readonly yIfd: Uint8Array; readonly yIcc: Uint8Array } | undefined;
  channel: SmChannel | undefined;
  /** MSE SET 81 B6 selected the ref-84 CA key for PSO VERIFY CERTIFICATE. */
  caKeySelected: boolean;
  /** Terminal certificate accepted by PSO VERIFY CERTIFICATE. */
  terminal: { readonly chr: Uint8Array; readonly publicKey: KeyObject } | undefined;
  /** MSE SET 81 A4 named the verified terminal CHR. */
  terminalKeySelected: boolean;
  internalAuthKey: InternalAuthKeyRef | undefined;
  /** Last GET CHALLENGE answer, consumed by EXTERNAL AUTHENTICATE. */
  rndIcc: Uint8Array | undefined;
  /** EXTERNAL AUTHENTICATE succeeded; remembers the RND.ICC it consumed (it seeds the SSC after DAPP). */
  terminalAuthenticated: { readonly rndIcc: Uint8Array } | undefined;
  /** DAPP completed (chip answered INTERNAL AUTHENTICATE, SSC re-initialised). */
  dappComplete: boolean;
  /** SSC to install once the current response has been protected (DAPP step 7). */
  sscAfterResponse: Uint8Array | undefined;
  pinVerified: boolean;
  pukVerified: boolean;
}

export function newSession(): CardSession {
  return {
    df: 'MF',
    ef: undefined,
    dh: undefined,
    channel: undefined,
    caKeySelected: false,
    terminal: undefined,
    terminalKeySelected: false,
    internalAuthKey: undefined,
    rndIcc: undefined,
    terminalAuthenticated: undefined,
    dappComplete: false,
    sscAfterResponse: undefined,
    pinVerified: false,
    pukVerified: false,
  };
}
