import { existsSync } from 'node:fs';
import { loggerFor } from '../shared/logger.js';
import { join } from 'node:path';
import {
  anchorPath,
  endpointsOf,
  initAnchor,
  readAnchorState,
  startAnchorServer,
  type AnchorServer,
} from '../simulator/federation/index.js';

export interface LocalAnchor {
  /** The anchor's entity id, http://127.0.0.1:<port>/. */
  entityId: string;
  /** Its state directory: `cie-federation … --dir <dir>` acts on the running anchor. */
  dir: string;
  /** The provider's FEDERATION_TRUST_ANCHORS. */
  trustAnchorsPath: string;
  fetchEndpoint: string;
  server: AnchorServer;
}

/** `<DEMO_DIR>/federation`: with the default DEMO_DIR that is var/federation, where `cie-federation` looks by default. */
export function localAnchorDir(demoDir: string): string {
  return join(demoDir, 'federation');
}

/**
 * The demo's trust anchor: created on first run, served on `port`. An anchor made for another port
 * is made again (its entity id names the port; statements could not match), with a warning.
 */
export async function startLocalAnchor(demoDir: string, port: number): Promise<LocalAnchor> {
  const dir = localAnchorDir(demoDir);
  const entityId = `http://127.0.0.1:${port}/`;
  if (!existsSync(anchorPath(dir, 'state'))) {
    await initAnchor(dir, { entityId, organizationName: 'Trust anchor della demo' });
  } else if (readAnchorState(dir).entityId !== entityId) {
    loggerFor('demo').warn({ event: 'demo_trust_anchor_replaced', dir, previous: readAnchorState(dir).entityId, entity_id: entityId }, `The trust anchor in ${dir} was made for ${readAnchorState(dir).entityId}; making a new one for ${entityId} (enroll your RPs again).`);
    await initAnchor(dir, { entityId, organizationName: 'Trust anchor della demo', overwrite: true });
  }
  const server = await startAnchorServer(dir, { port });
  return { entityId, dir, trustAnchorsPath: anchorPath(dir, 'trustAnchors'), fetchEndpoint: endpointsOf(entityId).fetch, server };
}
