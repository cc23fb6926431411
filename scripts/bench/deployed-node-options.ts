// The provider's Node options as the image runs it: the Dockerfile's `ENV NODE_OPTIONS=` (today the young
// generation's size, docs/operations.md "Memory"). The bench starts its providers, and the floors and the
// library alone beside them, with the same options, so that its figures are the deployed provider's and every
// ratio compares like with like.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDockerfile, runtimeImage } from '../../test/observability/support/dockerfile-stages.js';

export function deployedNodeOptions(): string {
  // Built, this file is dist/scripts/bench/; run from source (the tests), scripts/bench/.
  const dockerfile = ['../../Dockerfile', '../../../Dockerfile'].map((path) => fileURLToPath(new URL(path, import.meta.url))).find((path) => existsSync(path));
  if (!dockerfile) throw new Error('deployed-node-options: no Dockerfile at the checkout\'s top');
  return runtimeImage(readDockerfile(dockerfile)).env['NODE_OPTIONS'] ?? '';
}
