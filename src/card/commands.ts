import type { CommandApdu } from './apdu.js';
import { hexToBytes } from './bytes.js';

/** Builders for the plain form of every command the host sends (protocol §1.4, §2, §3, §4). Pure. */

export const IAS_AID = hexToBytes('A0000000308000000009816001');
export const CIE_AID = hexToBytes('A00000000039');

export const PIN_REFERENCE = 0x81;
export const PUK_REFERENCE = 0x82;

export const selectIasApplication = (): CommandApdu => ({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: IAS_AID });
/** NXP/Actalis/Bit4id families: SELECT MF without data (middleware `SelectAID_IAS`). */
export const selectMasterFile = (): CommandApdu => ({ cla: 0, ins: 0xa4, p1: 0x00, p2: 0x00 });
export const selectCieApplication = (): CommandApdu => ({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: CIE_AID });
export const selectElementaryFile = (fid: Uint8Array): CommandApdu => ({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x04, data: fid });

/** READ BINARY at an offset of the current EF (offset ≤ 7FFF: P1 bit 8 set would mean SFI). */
export function readBinary(offset: number, le: number): CommandApdu {
  if (offset > 0x7fff) throw new RangeError('READ BINARY offset beyond 7FFF');
  return { cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le };
}

/** READ BINARY by short file identifier: P1 = 80 | SFI, P2 = offset. */
export const readBinaryBySfi = (sfi: number, offset: number, le: number): CommandApdu => ({
  cla: 0,
  ins: 0xb0,
  p1: 0x80 | sfi,
  p2: offset,
  le,
});

/** GET DATA `00 CB 3F FF` with a `4D` header list, no Le (as the middleware sends it). */
export const getData = (headerList: Uint8Array): CommandApdu => ({ cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: headerList });

export const manageSecurityEnvironment = (p1: number, p2: number, data: Uint8Array, le?: number): CommandApdu => ({
  cla: 0,
  ins: 0x22,
  p1,
  p2,
  data,
  le,
});

export const verifyCertificate = (certificate: Uint8Array): CommandApdu => ({
  cla: 0,
  ins: 0x2a,
  p1: 0x00,
  p2: 0xae,
  data: certificate,
});

export const getChallenge = (): CommandApdu => ({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 });
export const externalAuthenticate = (data: Uint8Array): CommandApdu => ({ cla: 0, ins: 0x82, p1: 0, p2: 0, data });
/** No Le: the card answers with data anyway (middleware `IAS::Sign`, `DAPP`). */
export const internalAuthenticate = (data: Uint8Array): CommandApdu => ({ cla: 0, ins: 0x88, p1: 0, p2: 0, data });
/** Key 83 (NIS clone check): with Le `00`, as PagoPA and the NIS SDKs send it (protocol §6). */
export const servicesInternalAuthenticate = (challenge: Uint8Array): CommandApdu => ({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, le: 256 });

export const verify = (reference: number, secret: Uint8Array): CommandApdu => ({
  cla: 0,
  ins: 0x20,
  p1: 0,
  p2: reference,
  data: secret,
});

/** VERIFY without data: asks the state of a reference (tries left), spends no try. */
export const verifyStatus = (reference: number): CommandApdu => ({ cla: 0, ins: 0x20, p1: 0, p2: reference });

export const changeReferenceData = (reference: number, oldAndNew: Uint8Array): CommandApdu => ({
  cla: 0,
  ins: 0x24,
  p1: 0,
  p2: reference,
  data: oldAndNew,
});

/** P1 02: reset counter and set new reference data; P1 03: reset counter only. */
export const resetRetryCounter = (p1: 0x02 | 0x03, reference: number, newSecret?: Uint8Array): CommandApdu => ({
  cla: 0,
  ins: 0x2c,
  p1,
  p2: reference,
  data: newSecret,
});
