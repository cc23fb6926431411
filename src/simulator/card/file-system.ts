import { concatBytes, fromHex } from './bytes.js';
import type { CieCardData } from './card-data.js';
import { rsaPublicKeyPkcs1Der } from './rsa.js';
import { encodeTlv } from './tlv.js';

export const IAS_AID = fromHex('A0000000308000000009816001');
export const CIE_AID = fromHex('A00000000039');
export const MF_FID = 0x3f00;

/** The three DFs a host walks through. MF and the IAS DF expose the same EFs: NXP-family hosts select MF, the others the IAS AID. */
export type DfId = 'MF' | 'IAS' | 'CIE';

/**
 * `always`: readable in plain. `pin-under-sm`: only by a command under SM, after DAPP and a verified PIN —
 * the observed behaviour of every host; the real access condition is [unverified].
 */
export type ReadAccess = 'always' | 'pin-under-sm';

export interface ElementaryFile {
  readonly fid: number;
  readonly sfi: number | undefined;
  readonly content: Uint8Array;
  readonly access: ReadAccess;
}

/** EF 10 03 is larger than the certificate and zero-filled (protocol §1.3); the real size is [unverified]. */
const CERTIFICATE_FILE_SIZE = 2048;

function derPositiveInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return encodeTlv(0x02, trimmed[0]! & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed);
}

/** EF.DH: encoded here as SEQUENCE { p, g, q } (X9.42 DomainParameters order); the real encoding is [unverified]. */
export function efDhContent({ g, p, q }: CieCardData['dhGroup']): Uint8Array {
  return encodeTlv(0x30, concatBytes(derPositiveInteger(p), derPositiveInteger(g), derPositiveInteger(q)));
}

export interface FileSystem {
  files(df: DfId): readonly ElementaryFile[];
}

export function buildFileSystem(card: CieCardData): FileSystem {
  const certificateFile = new Uint8Array(Math.max(CERTIFICATE_FILE_SIZE, card.authCertificate.length));
  certificateFile.set(card.authCertificate);
  const rootFiles: ElementaryFile[] = [
    // EF.ATR: Gemalto cards carry "IasEccRoot" here (protocol §1.1); the rest of the content is [unverified].
    { fid: 0x2f01, sfi: 0x1d, content: Buffer.from(card.family === 'gemalto' ? 'IasEccRoot' : 'NXP IAS-ECC', 'ascii'), access: 'always' },
    // EF.SN.ICC: 12 bytes (PN532); layout 4 zero bytes ‖ SN.ICC is [unverified].
    { fid: 0xd003, sfi: undefined, content: concatBytes(new Uint8Array(4), card.snIcc), access: 'always' },
    { fid: 0xd004, sfi: 0x1b, content: efDhContent(card.dhGroup), access: 'always' },
  ];
  const cieFiles: ElementaryFile[] = [
    { fid: 0x1001, sfi: 0x01, content: Buffer.from(card.nis, 'ascii'), access: 'always' },
    { fid: 0x1002, sfi: 0x02, content: Buffer.from(card.documentNumber, 'ascii'), access: 'pin-under-sm' },
    { fid: 0x1003, sfi: 0x03, content: certificateFile, access: 'pin-under-sm' },
    { fid: 0x1004, sfi: 0x04, content: rsaPublicKeyPkcs1Der(card.chipKey), access: 'always' },
    { fid: 0x1005, sfi: 0x05, content: rsaPublicKeyPkcs1Der(card.servicesKey), access: 'always' },
    // EF.SOD: absent on cards minted before it was emulated (SELECT → 6A82, as before).
    ...(card.sod ? [{ fid: 0x1006, sfi: 0x06, content: card.sod, access: 'always' as const }] : []),
  ];
  return { files: (df) => (df === 'CIE' ? cieFiles : rootFiles) };
}
