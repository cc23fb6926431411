import { existsSync } from 'node:fs';
import { AnchorError } from './anchor-error.js';
import { anchorPath, withAnchorLock, writeAnchorKeys, writeAnchorState } from './anchor-files.js';
import type { AnchorState } from './anchor-state.js';
import { assertEntityId } from './entity-id.js';
import { newFederationKey } from './federation-keys.js';
import { writeTrustAnchorsFile } from './trust-anchors-export.js';

/** Trailing "/": the Node reference RP appends ".well-known/…" to entity ids with no separator. */
export const DEFAULT_ANCHOR_ENTITY_ID = 'http://127.0.0.1:8970/';

export interface InitAnchorOptions {
  entityId?: string;
  organizationName?: string;
  legacy?: boolean;
  /** Replace an anchor already in `dir` (the demo does when its port changed). */
  overwrite?: boolean;
  /** Seconds; statements are signed fresh on every request, this is how long each is valid. */
  statementLifetimeSeconds?: number;
  trustMarkLifetimeSeconds?: number;
}

export async function initAnchor(dir: string, options: InitAnchorOptions = {}): Promise<AnchorState> {
  const entityId = assertEntityId(options.entityId ?? DEFAULT_ANCHOR_ENTITY_ID, 'anchor entity id');
  return withAnchorLock(dir, async () => {
    if (!options.overwrite && existsSync(anchorPath(dir, 'state'))) {
      throw new AnchorError('ANCHOR_ALREADY_INITIALISED', `${dir} already holds a trust anchor (remove the directory to start again)`);
    }
    const state: AnchorState = {
      version: 1,
      entityId,
      organizationName: options.organizationName ?? 'Trust anchor locale (test)',
      legacy: options.legacy ?? false,
      statementLifetimeSeconds: options.statementLifetimeSeconds ?? 86_400,
      trustMarkLifetimeSeconds: options.trustMarkLifetimeSeconds ?? 365 * 86_400,
      intermediates: {},
      enrollments: {},
      trustMarks: [],
    };
    const keys = { [entityId]: [await newFederationKey()] };
    await writeAnchorKeys(dir, keys);
    await writeAnchorState(dir, state);
    await writeTrustAnchorsFile(dir, state, keys);
    return state;
  });
}
