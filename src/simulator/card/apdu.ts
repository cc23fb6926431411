/** A parsed short command APDU (ISO 7816-4 cases 1–4). */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  /** Expected response length: undefined when the command has no Le, 256 for Le = 00. */
  readonly ne: number | undefined;
}

/** Parses a short APDU; undefined when the length bytes are inconsistent (extended length is not emulated). */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu | undefined {
  if (bytes.length < 4) return undefined;
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const empty = new Uint8Array(0);
  if (bytes.length === 4) return { cla, ins, p1, p2, data: empty, ne: undefined };
  const first = bytes[4]!;
  if (bytes.length === 5) return { cla, ins, p1, p2, data: empty, ne: first === 0 ? 256 : first };
  if (first === 0) return undefined;
  const data = bytes.subarray(5, 5 + first);
  if (bytes.length === 5 + first) return { cla, ins, p1, p2, data, ne: undefined };
  if (bytes.length === 6 + first) {
    const le = bytes[5 + first]!;
    return { cla, ins, p1, p2, data, ne: le === 0 ? 256 : le };
  }
  return undefined;
}

/** What a command handler answers before transport concerns (SM wrapping, 61xx) are applied. */
export interface CardResponse {
  readonly data: Uint8Array;
  readonly sw: number;
}

export function statusOnly(sw: number): CardResponse {
  return { data: new Uint8Array(0), sw };
}

export function withSw(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
