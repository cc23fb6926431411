import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
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
