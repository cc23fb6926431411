import { anchorBase, type AnchorState } from './anchor-state.js';

/** The endpoints of a federation entity hosted here: CIE fixes the path names (`/fetch`, `/list`…). */
export interface HostedEndpoints {
  fetch: string;
  list: string;
  resolve: string;
  trustMarkStatus: string;
}

export function endpointsOf(entityId: string): HostedEndpoints {
  const base = entityId.replace(/\/+$/, '');
  return { fetch: `${base}/fetch`, list: `${base}/list`, resolve: `${base}/resolve`, trustMarkStatus: `${base}/trust_mark_status` };
}

/** An intermediate lives on the anchor's server under `<anchor>/intermediate/<name>`. */
export function intermediateEntityId(state: Pick<AnchorState, 'entityId'>, name: string): string {
  return `${anchorBase(state)}/intermediate/${name}`;
}

/** The path prefix each hosted entity answers under (the anchor's own is "" when its id is an origin). */
export function pathPrefixOf(entityId: string): string {
  return new URL(entityId).pathname.replace(/\/+$/, '');
}
