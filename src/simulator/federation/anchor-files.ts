import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withFileLock } from '../pki/file-lock.js';
import { PkiError } from '../pki/pki-error.js';
import { AnchorError } from './anchor-error.js';
import { isAnchorState, type AnchorKeys, type AnchorState } from './anchor-state.js';

/** The CLI's default state directory (the demo uses `<DEMO_DIR>/federation`, the same by default). */
export const DEFAULT_ANCHOR_DIR = 'var/federation';

/** Layout of an anchor directory. Keys are unencrypted private JWKs: this is a local test anchor and nothing else. */
export const ANCHOR_FILES = {
  state: 'state.json',
  keys: 'keys.json',
  lock: 'state.lock',
  /** What the provider's FEDERATION_TRUST_ANCHORS points at. */
  trustAnchors: 'trust-anchors.json',
} as const;

export function anchorPath(dir: string, file: keyof typeof ANCHOR_FILES): string {
  return join(dir, ANCHOR_FILES[file]);
}

function readJson(dir: string, file: keyof typeof ANCHOR_FILES): unknown {
  let text: string;
  try {
    text = readFileSync(anchorPath(dir, file), 'utf8');
  } catch (cause) {
    throw new AnchorError('ANCHOR_NOT_INITIALISED', `no trust anchor in ${dir} (run "cie-federation init --dir ${dir}")`, {}, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AnchorError('ANCHOR_STATE_INVALID', `${ANCHOR_FILES[file]} in ${dir} is not JSON`, {}, { cause });
  }
}

/** Synchronous and cheap, so the server re-reads it on every request and sees what the CLI just enrolled. */
export function readAnchorState(dir: string): AnchorState {
  const parsed = readJson(dir, 'state');
  if (!isAnchorState(parsed)) throw new AnchorError('ANCHOR_STATE_INVALID', `${ANCHOR_FILES.state} in ${dir} has an unexpected shape`);
  return parsed;
}

export function readAnchorKeys(dir: string): AnchorKeys {
  const parsed = readJson(dir, 'keys');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AnchorError('ANCHOR_STATE_INVALID', `${ANCHOR_FILES.keys} in ${dir} has an unexpected shape`);
  }
  return parsed as AnchorKeys;
}

/** Write-then-rename so a concurrent reader sees either the old or the new file, never half. */
export async function writeAnchorFile(dir: string, file: keyof typeof ANCHOR_FILES, value: unknown, mode = 0o644): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = anchorPath(dir, file);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2) + '\n', { mode });
  await rename(temporary, target);
}

export const writeAnchorState = (dir: string, state: AnchorState) => writeAnchorFile(dir, 'state', state);
export const writeAnchorKeys = (dir: string, keys: AnchorKeys) => writeAnchorFile(dir, 'keys', keys, 0o600);

/** The PKI's lock file (one writer at a time: the CLI, the demo, a test), with the anchor's own error. */
export async function withAnchorLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  try {
    return await withFileLock(anchorPath(dir, 'lock'), work);
  } catch (error) {
    if (error instanceof PkiError && error.code === 'PKI_STATE_LOCKED') {
      throw new AnchorError('ANCHOR_STATE_LOCKED', `the trust anchor in ${dir} is locked by another process (${ANCHOR_FILES.lock})`);
    }
    throw error;
  }
}
