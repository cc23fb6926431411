import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { lock } from 'proper-lockfile';
import type { CardMutableState, CieCardData } from './card-data.js';
import { parseCard, serializeCard } from './card-file-format.js';
import { VirtualCardError } from './errors.js';
import { VirtualCieCard, type VirtualCieCardOptions } from './virtual-cie-card.js';

function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function parseText(path: string, text: string): CieCardData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VirtualCardError('card_file_invalid', `card file ${path} is not JSON`, { path }, { cause });
  }
  return parseCard(json);
}

export async function loadCardFile(path: string): Promise<CieCardData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VirtualCardError('card_file_unreadable', `cannot read card file ${path}`, { path }, { cause });
  }
  return parseText(path, text);
}

/** Atomic replace: write a temporary file next to the target, then rename over it. */
export async function saveCardFile(path: string, card: CieCardData): Promise<void> {
  const temporary = temporaryPath(path);
  await writeFile(temporary, serializeCard(card), { mode: 0o600 });
  await rename(temporary, path);
}

/** Synchronous twin of saveCardFile, for the card's synchronous `onStateChange` hook (writes stay in order). */
export function saveCardFileSync(path: string, card: CieCardData): void {
  const temporary = temporaryPath(path);
  writeFileSync(temporary, serializeCard(card), { mode: 0o600 });
  renameSync(temporary, path);
}

/** Opens a card file as a VirtualCieCard whose counter/PIN/blocked changes are written back to the same file. */
export function openCardFile(path: string, options: Omit<VirtualCieCardOptions, 'onStateChange'> = {}): VirtualCieCard {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new VirtualCardError('card_file_unreadable', `cannot read card file ${path}`, { path }, { cause });
  }
  const card = parseText(path, text);
  return new VirtualCieCard(card, {
    ...options,
    onStateChange: (state: CardMutableState) => saveCardFileSync(path, { ...card, state }),
  });
}

/** How long a card session waits for another process's session on the same card file. */
const LOCK_WAIT_MS = 5_000;
const LOCK_RETRY_MS = 50;
/** A lock not refreshed for this long belongs to a process that died: it is taken over. */
const LOCK_STALE_MS = 10_000;

/** A held card-file lock: `held()` turns false if another process took it over (a stale lock). */
export interface CardFileLock {
  held(): boolean;
  release(): Promise<void>;
}

/**
 * Takes the card file's inter-process lock (a `<file>.lock` directory, refreshed while held), so a
 * card session in one process (the bridge) and one in another (`cie-bridge pin change`) never
 * interleave their read-modify-write of the file.
 */
export async function lockCardFile(path: string): Promise<CardFileLock> {
  let release: () => Promise<void>;
  let compromised = false;
  try {
    release = await lock(path, {
      stale: LOCK_STALE_MS,
      retries: { retries: Math.ceil(LOCK_WAIT_MS / LOCK_RETRY_MS), factor: 1, minTimeout: LOCK_RETRY_MS, maxTimeout: LOCK_RETRY_MS },
      // The library's default would throw from a timer; the session stops at its next command instead.
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new VirtualCardError('card_file_busy', `card file ${path} is in use by another program`, { path }, { cause });
    }
    throw new VirtualCardError('card_file_unreadable', `cannot lock card file ${path}`, { path }, { cause });
  }
  return { held: () => !compromised, release: () => release().catch(() => undefined) };
}
