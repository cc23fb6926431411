// Child process of the federation bench: the local trust anchor's own server (src/simulator/federation,
// with its intermediates) and the relying parties' entity configurations, each on its own 127.0.0.1
// port. In a process of its own so that the bench process's CPU time is the resolver's alone.
// Usage: node federation-servers.js <plan.json>; prints "federation ready" once everything listens.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { ENTITY_CONFIGURATION_PATH, MEDIA_TYPES } from '../../src/federation/media-types.js';
import { listen } from '../../src/shared/http-server.js';
import { startAnchorServer } from '../../src/simulator/federation/index.js';

/** What the parent writes: the anchor's state directory and each RP's signed entity configuration. */
export interface FederationServersPlan {
  anchorDir: string;
  relyingParties: { port: number; entityConfiguration: string }[];
}

const plan = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as FederationServersPlan;
const anchor = await startAnchorServer(plan.anchorDir);
for (const rp of plan.relyingParties) {
  // Signed once by the parent: an RP's configuration changes rarely, and the anchor's server already
  // signs every statement it serves afresh (that cost falls on resolver and floor alike).
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://rp.invalid').pathname !== ENTITY_CONFIGURATION_PATH) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': MEDIA_TYPES.entityStatement }).end(rp.entityConfiguration);
  });
  await listen(server, rp.port, '127.0.0.1');
}
console.log(`federation ready: anchor ${anchor.url}, ${plan.relyingParties.length} relying parties`);
process.on('SIGTERM', () => process.exit(0));
