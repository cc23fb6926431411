import { tlvTotalLength } from './ber-tlv.js';
import { concatBytes } from './bytes.js';
import { CardError } from './card-error.js';
import type { CommandChannel } from './command-channel.js';
import { readBinary, selectElementaryFile } from './commands.js';
import { SW, formatSw, requireSuccess } from './status-word.js';

/** READ BINARY chunk size used by the middleware (Le 80). */
const CHUNK = 0x80;
/** READ BINARY with an offset in P1-P2 addresses 15 bits (P1 bit 8 set would mean SFI). */
const MAX_OFFSET = 0x7fff;

/**
 * READ BINARY loop on the current EF from `offset`, up to `length` bytes or to the end of the file:
 * 9000 → append and continue; 6282 → append and stop (short last chunk); 6B00 → stop (offset past the end);
 * 6Cxx is retried by the channel; anything else is an error.
 */
export async function readBinaryLoop(channel: CommandChannel, offset: number, length?: number): Promise<Uint8Array> {
  let content: Uint8Array = new Uint8Array(0);
  while (length === undefined || content.length < length) {
    const le = length === undefined ? CHUNK : Math.min(CHUNK, length - content.length);
    if (offset + content.length > MAX_OFFSET) throw new CardError('malformed_response', 'EF larger than READ BINARY can address');
    const response = await channel.send(readBinary(offset + content.length, le));
    if (response.sw === SW.wrongOffset) break;
    if (response.sw !== SW.success && response.sw !== SW.endOfFileReached) {
      throw new CardError('card_error', `READ BINARY failed with ${formatSw(response.sw)}`, { sw: formatSw(response.sw) });
    }
    content = concatBytes(content, response.data);
    if (response.sw === SW.endOfFileReached || response.data.length === 0) break;
  }
  return length === undefined ? content : content.slice(0, length);
}

export async function selectFile(channel: CommandChannel, fid: Uint8Array): Promise<void> {
  requireSuccess(await channel.send(selectElementaryFile(fid)), 'SELECT EF');
}

/**
 * Reads a DER object stored in a larger, zero-padded EF (certificate 10 03, key 10 04): reads one chunk, takes the
 * length from the DER header, then reads only what is missing.
 */
export async function readDerFile(channel: CommandChannel, fid: Uint8Array): Promise<Uint8Array> {
  await selectFile(channel, fid);
  const first = await readBinaryLoop(channel, 0, CHUNK);
  const total = tlvTotalLength(first);
  if (total <= first.length) return first.slice(0, total);
  if (first.length < CHUNK) throw new CardError('malformed_response', 'EF is shorter than its DER content');
  const rest = await readBinaryLoop(channel, first.length, total - first.length);
  if (first.length + rest.length < total) throw new CardError('malformed_response', 'EF is shorter than its DER content');
  return concatBytes(first, rest);
}
