import type { CommandApdu } from '../../../src/card/apdu.js';

/** Test-side decoder of short command APDUs (cases 1–4), to feed the vectors' plain_apdu to the encoder. */
export function parseShortCommand(bytes: Uint8Array): CommandApdu {
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const body = bytes.slice(4);
  if (body.length === 0) return { cla, ins, p1, p2 };
  if (body.length === 1) return { cla, ins, p1, p2, le: body[0] || 256 };
  const lc = body[0]!;
  const data = body.slice(1, 1 + lc);
  if (body.length === 1 + lc) return { cla, ins, p1, p2, data };
  if (body.length === 2 + lc) return { cla, ins, p1, p2, data, le: body[1 + lc] || 256 };
  throw new Error('not a short APDU');
}
