import { activeKeys, trustMarkTypeFor, type AnchorKeys, type AnchorState } from './anchor-state.js';
import { writeAnchorFile } from './anchor-files.js';
import { publicJwks } from './federation-keys.js';

/** One entry of the provider's FEDERATION_TRUST_ANCHORS file (docs/federation.md). */
export interface TrustAnchorFileEntry {
  entity_id: string;
  jwks: ReturnType<typeof publicJwks>;
  required_trust_marks: string[];
  legacy_request_objects: boolean;
}

/**
 * The anchor as a provider should trust it: every published key (so a rotation in progress keeps
 * working), the RP trust marks of which it requires one, and — when the anchor runs in legacy mode, for the
 * reference RPs — the older request-object shapes.
 */
export function trustAnchorEntry(state: AnchorState, keys: AnchorKeys): TrustAnchorFileEntry {
  return {
    entity_id: state.entityId,
    jwks: publicJwks(activeKeys(keys[state.entityId] ?? [])),
    required_trust_marks: [trustMarkTypeFor(state, 'openid_relying_party', 'public'), trustMarkTypeFor(state, 'openid_relying_party', 'private')],
    legacy_request_objects: state.legacy,
  };
}

export async function writeTrustAnchorsFile(dir: string, state: AnchorState, keys: AnchorKeys): Promise<void> {
  await writeAnchorFile(dir, 'trustAnchors', [trustAnchorEntry(state, keys)]);
}
