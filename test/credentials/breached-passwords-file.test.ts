import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { BreachedPasswordsFile } from '../../src/credentials/breached-passwords-file.js';

// The offline Pwned Passwords file (src/credentials/breached-passwords-file.ts): a binary search over
// byte offsets in a generated, sorted SHA1HEX:COUNT file; a malformed file refused at start.

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'breached-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3000 entries (about 140 KB: the search takes many steps before its final scan), each with its own count. */
function entries(): Array<{ hash: string; count: number }> {
  return Array.from({ length: 3000 }, (_, i) => ({ hash: sha1(`leaked-${i}`), count: (i % 97) + 1 })).sort((a, b) => (a.hash < b.hash ? -1 : 1));
}

function writeList(name: string, lines: string[], eol = '\r\n', trailing = true): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join(eol) + (trailing ? eol : ''), 'latin1');
  return path;
}

const LIST = entries();
const asLines = (list: Array<{ hash: string; count: number }>) => list.map(({ hash, count }) => `${hash}:${count}`);

describe.each([
  ['CRLF with a final newline', '\r\n', true],
  ['LF without a final newline', '\n', false],
] as const)('a sorted list, %s', (_name, eol, trailing) => {
  let file: BreachedPasswordsFile;
  beforeAll(async () => {
    file = await BreachedPasswordsFile.open(writeList(`list-${eol.length}.txt`, asLines(LIST), eol, trailing));
  });

  test('the first line, the last line and one in the middle are found with their counts', async () => {
    for (const entry of [LIST[0]!, LIST.at(-1)!, LIST[Math.floor(LIST.length / 2)]!]) expect(await file.count(entry.hash)).toBe(entry.count);
  });

  test('every tenth line and its neighbour are found', async () => {
    const sample = LIST.filter((_, i) => i % 10 === 0 || i % 10 === 9);
    const counts = await Promise.all(sample.map((entry) => file.count(entry.hash)));
    expect(counts).toEqual(sample.map((entry) => entry.count));
  });

  test('a look-up reads small windows, never the whole file', async () => {
    const probe = await open(join(dir, `list-${eol.length}.txt`), 'r');
    const read = jest.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'read');
    await probe.close();
    try {
      expect(await file.count(LIST[2222]!.hash)).toBe(LIST[2222]!.count);
      const bytes = read.mock.calls.reduce((sum, call) => sum + Number((call as unknown[])[2] ?? 0), 0);
      expect(read.mock.calls.length).toBeGreaterThan(2);
      expect(bytes).toBeLessThan(LIST.length * 43 / 10);
    } finally {
      read.mockRestore();
    }
  });

  test('a hash between two lines, before the first and after the last is absent', async () => {
    const absent = sha1('not-leaked');
    expect(absent > LIST[0]!.hash && absent < LIST.at(-1)!.hash).toBe(true);
    expect(LIST.some((entry) => entry.hash === absent)).toBe(false);
    expect(await file.count(absent)).toBe(0);
    expect(await file.count('0'.repeat(40))).toBe(0);
    expect(await file.count('F'.repeat(40))).toBe(0);
    // Next to a present line: its hash with the last digit changed.
    const neighbour = LIST[1234]!.hash.slice(0, 39) + (LIST[1234]!.hash.endsWith('0') ? '1' : '0');
    if (!LIST.some((entry) => entry.hash === neighbour)) expect(await file.count(neighbour)).toBe(0);
  });
});

test('a list of one line', async () => {
  const only = sha1('only');
  const file = await BreachedPasswordsFile.open(writeList('one.txt', [`${only}:7`]));
  expect(await file.count(only)).toBe(7);
  expect(await file.count(sha1('other'))).toBe(0);
});

describe('an unusable file stops the start with a clear error', () => {
  const sorted = asLines(LIST.slice(0, 200));
  test.each([
    ['missing', () => join(dir, 'nowhere.txt'), /cannot be read \(ENOENT\)/],
    ['a directory', () => dir, /not a regular file/],
    ['empty', () => writeList('empty.txt', [], '\n', false), /is empty/],
    ['lower-case hex', () => writeList('lower.txt', sorted.map((line) => line.toLowerCase())), /not a SHA1HEX:COUNT line at byte 0/],
    ['NTLM (32 hex digits)', () => writeList('ntlm.txt', sorted.map((line) => line.slice(8))), /not a SHA1HEX:COUNT line/],
    ['unsorted', () => writeList('unsorted.txt', [...sorted].reverse()), /not sorted by hash/],
    ['cut short in its last line', () => writeList('cut.txt', [...sorted, sorted[199]!.slice(0, 20).replace(/.$/, 'F')], '\n', false), /not a SHA1HEX:COUNT line/],
    ['not a list at all', () => writeList('text.txt', ['hello world', 'this is not a list']), /not a SHA1HEX:COUNT line/],
  ])('%s', async (_name, path, reason) => {
    const target = path();
    const refused = BreachedPasswordsFile.open(target);
    await expect(refused).rejects.toMatchObject({ code: 'breached_passwords_file' });
    await expect(refused).rejects.toThrow(reason);
    await expect(refused).rejects.toThrow(`BREACHED_PASSWORDS_FILE ${target}`);
  });
});
