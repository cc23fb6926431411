import { open, type FileHandle } from 'node:fs/promises';
import { CredentialsError } from './credentials-error.js';

/**
 * The offline list of breached passwords: a file in the "Pwned Passwords" downloadable format
 * (haveibeenpwned.com/Passwords; the PwnedPasswordsDownloader writes it), one `SHA1HEX:COUNT` line
 * per password, 40 upper-case hex digits, sorted by hash. The full list is tens of GiB, so it is
 * never loaded: a look-up is a binary search over byte offsets, each step reading one small window
 * and finding the next line boundary in it (about 25 steps for the full list). The file is opened at
 * each look-up, so a refresh replaced by rename takes effect without a restart.
 */

/** One line: the SHA-1, a colon, the count; LF or CRLF. */
const LINE = /^([0-9A-F]{40}):(\d{1,12})\r?$/;
/** The longest line accepted: 40 hex digits, the colon, 12 digits, CRLF. */
const MAX_LINE_BYTES = 40 + 1 + 12 + 2;
/** Below this span one read and a scan are cheaper than more seeks. */
const SCAN_BYTES = 4096;
/** Lines checked at start, evenly spread over the file (format and order). */
const SAMPLE_LINES = 64;

interface Entry {
  hash: string;
  count: number;
}

interface FileLine {
  start: number;
  /** The offset of the next line (after this one's newline), or the file's size. */
  next: number;
  entry: Entry;
}

export class BreachedPasswordsFile {
  private constructor(readonly path: string) {}

  /** The file checked now (readable, the format, sorted on a sample): an unusable list stops the start. */
  static async open(path: string): Promise<BreachedPasswordsFile> {
    await withFile(path, validate);
    return new BreachedPasswordsFile(path);
  }

  /** How many times the SHA-1 (40 upper-case hex digits) was seen in breaches; 0 when absent. */
  async count(sha1: string): Promise<number> {
    return withFile(this.path, (handle, size) => search(handle, size, sha1));
  }
}

async function withFile<T>(path: string, use: (handle: FileHandle, size: number) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unusable(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new CredentialsError('breached_passwords_file', 'it is not a regular file');
    return await use(handle, stats.size);
  } catch (error) {
    throw unusable(path, error instanceof CredentialsError ? error.message : `cannot be read (${String(error)})`);
  } finally {
    await handle.close();
  }
}

function unusable(path: string, reason: string): CredentialsError {
  return new CredentialsError('breached_passwords_file', `BREACHED_PASSWORDS_FILE ${path}: ${reason}; expected the Pwned Passwords list in SHA-1 mode, lines SHA1HEX:COUNT (40 upper-case hex digits) sorted by hash (docs/operations.md)`, { path });
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
  // latin1: one character per byte, so string offsets are file offsets.
  return buffer.toString('latin1', 0, bytesRead);
}

function parseEntry(line: string, offset: number): Entry {
  const match = LINE.exec(line);
  if (!match) throw new CredentialsError('breached_passwords_file', `not a SHA1HEX:COUNT line at byte ${offset}`, { offset });
  return { hash: match[1]!, count: Number(match[2]) };
}

/** The first line starting at or after `position`, or undefined past the last one. */
async function lineFrom(handle: FileHandle, size: number, position: number): Promise<FileLine | undefined> {
  let start = 0;
  if (position > 0) {
    // From the byte before: a line that starts exactly at `position` is found too.
    const before = await readAt(handle, position - 1, MAX_LINE_BYTES + 1);
    const newline = before.indexOf('\n');
    if (newline < 0) {
      if (position - 1 + before.length >= size) return undefined;
      throw new CredentialsError('breached_passwords_file', `a line longer than ${MAX_LINE_BYTES} bytes near byte ${position}`, { offset: position });
    }
    start = position + newline;
  }
  if (start >= size) return undefined;
  const text = await readAt(handle, start, MAX_LINE_BYTES + 1);
  const newline = text.indexOf('\n');
  if (newline < 0 && start + text.length < size) throw new CredentialsError('breached_passwords_file', `a line longer than ${MAX_LINE_BYTES} bytes at byte ${start}`, { offset: start });
  return { start, next: newline < 0 ? size : start + newline + 1, entry: parseEntry(newline < 0 ? text : text.slice(0, newline), start) };
}

async function search(handle: FileHandle, size: number, target: string): Promise<number> {
  // Invariants: `low` is a line start; the target's line, if present, starts in [low, high).
  let low = 0;
  let high = size;
  while (high - low > SCAN_BYTES) {
    const middle = low + Math.floor((high - low) / 2);
    const line = await lineFrom(handle, size, middle);
    if (!line || line.start >= high) {
      high = middle;
      continue;
    }
    if (line.entry.hash === target) return line.entry.count;
    if (line.entry.hash < target) low = line.next;
    else high = middle;
  }
  if (low >= high) return 0;
  const text = await readAt(handle, low, high - low + MAX_LINE_BYTES);
  for (let offset = 0; low + offset < high && offset < text.length; ) {
    const newline = text.indexOf('\n', offset);
    const entry = parseEntry(newline < 0 ? text.slice(offset) : text.slice(offset, newline), low + offset);
    if (entry.hash === target) return entry.count;
    if (entry.hash > target || newline < 0) return 0;
    offset = newline + 1;
  }
  return 0;
}

async function validate(handle: FileHandle, size: number): Promise<void> {
  if (size === 0) throw new CredentialsError('breached_passwords_file', 'it is empty');
  let previous: FileLine | undefined;
  for (let k = 0; k < SAMPLE_LINES; k += 1) {
    const line = await lineFrom(handle, size, Math.floor((k * size) / SAMPLE_LINES));
    if (!line || line.start === previous?.start) continue;
    if (previous && line.entry.hash <= previous.entry.hash) throw new CredentialsError('breached_passwords_file', `it is not sorted by hash (byte ${line.start})`, { offset: line.start });
    previous = line;
  }
  // The last line too: a list cut short by a failed download ends in half a line.
  const tailStart = Math.max(0, size - 2 * MAX_LINE_BYTES);
  const tail = (await readAt(handle, tailStart, size - tailStart)).replace(/\r?\n$/, '');
  const last = tail.slice(tail.lastIndexOf('\n') + 1);
  const entry = parseEntry(last, size - last.length);
  if (previous && entry.hash < previous.entry.hash) throw new CredentialsError('breached_passwords_file', 'it is not sorted by hash (its last line)');
}
