import { AnchorError } from './anchor-error.js';
import { readAnchorState, withAnchorLock, writeAnchorState } from './anchor-files.js';
import { activeTrustMarksOf, type IssuedTrustMark } from './anchor-state.js';

/** Revokes every active trust mark about `entityId`; the status endpoint answers "revoked" from now on. */
export async function revokeTrustMarks(dir: string, entityId: string, now = Math.floor(Date.now() / 1000)): Promise<IssuedTrustMark[]> {
  return withAnchorLock(dir, async () => {
    const state = readAnchorState(dir);
    const active = activeTrustMarksOf(state, entityId, now);
    if (active.length === 0) throw new AnchorError('ANCHOR_NOTHING_TO_REVOKE', `${entityId} holds no active trust mark of this anchor`);
    const revokedAt = new Date(now * 1000).toISOString();
    for (const mark of active) mark.revokedAt = revokedAt;
    await writeAnchorState(dir, state);
    return active;
  });
}
