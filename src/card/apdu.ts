import { CardError } from './card-error.js';

/** A command APDU before encoding. `le` is the number of bytes expected (1..65536; 256 is Le `00` in short form). */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

const MAX_SHORT_LC = 255;
const MAX_SHORT_LE = 256;

/** ISO 7816-4 cases 1–4; short form when both Lc and Le fit, extended otherwise. */
export function encodeCommandApdu(command: CommandApdu): Uint8Array {
  const data = command.data ?? new Uint8Array(0);
  const { le } = command;
  if (data.length > 65535) throw new RangeError('command data longer than 65535 bytes');
  if (le !== undefined && (le < 1 || le > 65536)) throw new RangeError('Le out of range');
  const header = [command.cla, command.ins, command.p1, command.p2];
  const extended = data.length > MAX_SHORT_LC || (le !== undefined && le > MAX_SHORT_LE);
  const bytes: number[] = [...header];
  if (!extended) {
    if (data.length > 0) bytes.push(data.length, ...data);
    if (le !== undefined) bytes.push(le & 0xff);
    return Uint8Array.from(bytes);
  }
  bytes.push(0x00);
  if (data.length > 0) bytes.push(data.length >> 8, data.length & 0xff, ...data);
  if (le !== undefined) bytes.push((le >> 8) & 0xff, le & 0xff);
  return Uint8Array.from(bytes);
}

export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new CardError('malformed_response', `response APDU of ${bytes.length} bytes has no status word`);
  const sw = (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!;
  return { data: bytes.slice(0, -2), sw };
}

/** Le byte as it appears in a short APDU or in DO 97 (256 → 00). */
export function shortLeByte(le: number): number {
  return le & 0xff;
}
