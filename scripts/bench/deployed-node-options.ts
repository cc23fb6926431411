// The provider's Node options as the image runs it: the Dockerfile's `ENV NODE_OPTIONS=` (today the young
// generation's size, docs/operations.md "Memory"). The bench starts its providers, and the floors and the
// library alone beside them, with the same options, so that its figures are the deployed provider's and every
// ratio compares like with like.
import { join } from 'node:path';
import { projectRoot } from '../../src/shared/project-root.js';
import { readDockerfile, runtimeImage } from '../../test/observability/support/dockerfile-stages.js';

export function deployedNodeOptions(): string {
  return runtimeImage(readDockerfile(join(projectRoot(), 'Dockerfile'))).env['NODE_OPTIONS'] ?? '';
}
