import { statusOnly, type CardResponse, type CommandApdu } from './apdu.js';
import { bytesEqual, concatBytes } from './bytes.js';
import type { CardSession } from './card-session.js';
import { CIE_AID, IAS_AID, MF_FID, type DfId, type ElementaryFile, type FileSystem } from './file-system.js';
import { SW, wrongLe } from './status-words.js';
import { encodeTlv } from './tlv.js';

const P2_NO_DATA = 0x0c;
const P2_FCP = 0x04;
const P2_FCI = 0x00;

function fidBytes(fid: number): Uint8Array {
  return Uint8Array.of(fid >> 8, fid & 0xff);
}

function fcpOfEf(file: ElementaryFile): Uint8Array {
  const size = file.content.length;
  return encodeTlv(
    0x62,
    concatBytes(encodeTlv(0x80, Uint8Array.of(size >> 8, size & 0xff)), encodeTlv(0x82, Uint8Array.of(0x01)), encodeTlv(0x83, fidBytes(file.fid))),
  );
}

function fcpOfDf(df: DfId): Uint8Array {
  const name = df === 'MF' ? encodeTlv(0x83, fidBytes(MF_FID)) : encodeTlv(0x84, df === 'IAS' ? IAS_AID : CIE_AID);
  return encodeTlv(0x62, concatBytes(encodeTlv(0x82, Uint8Array.of(0x38)), name));
}

function selectDf(session: CardSession, df: DfId, wantsFcp: boolean): CardResponse {
  session.df = df;
  session.ef = undefined;
  return { data: wantsFcp ? fcpOfDf(df) : new Uint8Array(0), sw: SW.OK };
}

function selectEf(fs: FileSystem, session: CardSession, fid: Uint8Array, wantsFcp: boolean): CardResponse {
  if (fid.length !== 2) return statusOnly(SW.WRONG_LENGTH);
  const wanted = (fid[0]! << 8) | fid[1]!;
  if (wanted === MF_FID) return selectDf(session, 'MF', wantsFcp);
  const file = fs.files(session.df).find((ef) => ef.fid === wanted);
  if (!file) return statusOnly(SW.FILE_NOT_FOUND);
  session.ef = file;
  return { data: wantsFcp ? fcpOfEf(file) : new Uint8Array(0), sw: SW.OK };
}

/**
 * SELECT: P1 00 (MF / FID), 02 (EF under the current DF), 04 (DF name). The FCP (`62 … 80 02 <size>`) comes
 * back only for P2 = 04 with an Le: the middleware sends `00 A4 02 04 02 <FID>` without Le and gets a bare 9000
 * (end-to-end trace), cie-minimal-auth adds an Le and reads the size from the FCP.
 */
export function selectFile(fs: FileSystem, session: CardSession, apdu: CommandApdu): CardResponse {
  if (apdu.p2 !== P2_FCI && apdu.p2 !== P2_FCP && apdu.p2 !== P2_NO_DATA) return statusOnly(SW.WRONG_P1P2);
  const wantsFcp = apdu.p2 === P2_FCP && apdu.ne !== undefined;
  switch (apdu.p1) {
    case 0x00:
      return apdu.data.length === 0 ? selectDf(session, 'MF', wantsFcp) : selectEf(fs, session, apdu.data, wantsFcp);
    case 0x02:
      return selectEf(fs, session, apdu.data, wantsFcp);
    case 0x04:
      if (bytesEqual(apdu.data, IAS_AID)) return selectDf(session, 'IAS', wantsFcp);
      if (bytesEqual(apdu.data, CIE_AID)) return selectDf(session, 'CIE', wantsFcp);
      return statusOnly(SW.FILE_NOT_FOUND);
    default:
      return statusOnly(SW.WRONG_P1P2);
  }
}

/**
 * READ BINARY, offset form (P1 bit 8 = 0) or SFI form (P1 = 80|SFI, P2 = offset). End of file: a short
 * last chunk ends with `6282`, an offset at or past the end gives `6B00`; a command without Le gets `6Cxx`.
 */
export function readBinary(fs: FileSystem, session: CardSession, apdu: CommandApdu, secure: boolean): CardResponse {
  let file: ElementaryFile | undefined;
  let offset: number;
  if ((apdu.p1 & 0x80) !== 0) {
    const sfi = apdu.p1 & 0x1f;
    file = fs.files(session.df).find((ef) => ef.sfi === sfi);
    if (!file) return statusOnly(SW.FILE_NOT_FOUND);
    session.ef = file;
    offset = apdu.p2;
  } else {
    file = session.ef;
    if (!file) return statusOnly(SW.NO_CURRENT_EF);
    offset = (apdu.p1 << 8) | apdu.p2;
  }
  if (file.access === 'pin-under-sm' && !(secure && session.dappComplete && session.pinVerified)) {
    return statusOnly(SW.SECURITY_STATUS_NOT_SATISFIED);
  }
  if (offset >= file.content.length) return statusOnly(SW.WRONG_OFFSET);
  const available = file.content.length - offset;
  if (apdu.ne === undefined) return statusOnly(wrongLe(available));
  if (available < apdu.ne) return { data: file.content.subarray(offset), sw: SW.END_OF_FILE };
  return { data: file.content.subarray(offset, offset + apdu.ne), sw: SW.OK };
}
