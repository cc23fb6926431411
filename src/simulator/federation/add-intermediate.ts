import { AnchorError } from './anchor-error.js';
import { readAnchorKeys, readAnchorState, withAnchorLock, writeAnchorKeys, writeAnchorState } from './anchor-files.js';
import type { Intermediate } from './anchor-state.js';
import { intermediateEntityId } from './anchor-urls.js';
import { assertIntermediateName } from './entity-id.js';
import { newFederationKey } from './federation-keys.js';

/** An intermediate (a "soggetto aggregatore") served by the anchor's own server, with keys of its own. */
export async function addIntermediate(dir: string, name: string): Promise<Intermediate> {
  assertIntermediateName(name);
  return withAnchorLock(dir, async () => {
    const state = readAnchorState(dir);
    if (Object.hasOwn(state.intermediates, name)) throw new AnchorError('ANCHOR_INTERMEDIATE_EXISTS', `the intermediate "${name}" exists already`);
    const intermediate: Intermediate = { name, entityId: intermediateEntityId(state, name), createdAt: new Date().toISOString() };
    const keys = readAnchorKeys(dir);
    keys[intermediate.entityId] = [await newFederationKey()];
    state.intermediates[name] = intermediate;
    await writeAnchorKeys(dir, keys);
    await writeAnchorState(dir, state);
    return intermediate;
  });
}
