import { readAnchorKeys, readAnchorState, withAnchorLock, writeAnchorKeys } from './anchor-files.js';
import { activeKeys, type StoredKey } from './anchor-state.js';
import { newFederationKey } from './federation-keys.js';
import { writeTrustAnchorsFile } from './trust-anchors-export.js';

export interface RotationResult {
  added?: StoredKey;
  retired: StoredKey[];
  published: StoredKey[];
}

/**
 * Step 1 (default): publish a new anchor key beside the old; statements and trust marks are signed
 * with it, the entity configuration still with the old one, so providers configured with the old
 * key keep resolving. Step 2 (`retireOld`): stop publishing every key but the newest (with a single
 * key published, a new one is added first: a one-step rotation, which providers notice at once).
 */
export async function rotateAnchorKeys(dir: string, options: { retireOld?: boolean } = {}): Promise<RotationResult> {
  return withAnchorLock(dir, async () => {
    const state = readAnchorState(dir);
    const keys = readAnchorKeys(dir);
    const own = keys[state.entityId] ?? [];
    const added = !options.retireOld || activeKeys(own).length < 2 ? await newFederationKey() : undefined;
    if (added) own.push(added);
    const retired: StoredKey[] = [];
    if (options.retireOld) {
      const published = activeKeys(own);
      const now = new Date().toISOString();
      for (const key of published.slice(0, -1)) {
        key.retiredAt = now;
        retired.push(key);
      }
    }
    keys[state.entityId] = own;
    await writeAnchorKeys(dir, keys);
    await writeTrustAnchorsFile(dir, state, keys);
    return { added, retired, published: activeKeys(own) };
  });
}
