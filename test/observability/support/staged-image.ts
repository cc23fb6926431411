import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RunAs } from './rehearsal-processes.js';
import { buildCompilation, type RuntimeImage } from './dockerfile-stages.js';

/** The node image's `node` user (node:22-bookworm-slim: uid and gid 1000). */
const IMAGE_USERS: Record<string, RunAs> = { node: { uid: 1000, gid: 1000 } };

export function imageUser(image: RuntimeImage): RunAs | undefined {
  if (!image.user) return undefined;
  const user = IMAGE_USERS[image.user];
  if (!user) throw new Error(`Dockerfile USER ${image.user}: not a user of the base image the rehearsal knows`);
  return user;
}

/**
 * The runtime image's WORKDIR rebuilt in `dir` from the last stage's COPY lines, so the processes see
 * what the image holds and nothing else of the checkout (a file read at run time that the image lacks
 * fails here too):
 * - `COPY <path> <dest>` from the build context: copied from the checkout;
 * - `COPY --from=build /app/dist`: the build stage's `tsc -p <config>` output, i.e. dist/<each include of
 *   that config>, from the dist/ that `npm test`'s tsc (the same compiler options) compiles first;
 * - `COPY --from=deps /app/node_modules`: a link to the checkout's node_modules (which also holds the
 *   dev dependencies: test/unit/production-dependencies.test.ts shows the code reaches none of them),
 *   or to COMPOSE_REHEARSAL_NODE_MODULES when set: e.g. the node_modules of
 *   `npm ci --omit=dev --omit=optional --offline` in a copy of package.json and package-lock.json, as the
 *   deps stage installs them.
 * Any other COPY is refused, so the rehearsal is updated when the Dockerfile is.
 */
export async function stageImage(image: RuntimeImage, dir: string): Promise<string> {
  const app = join(dir, image.workdir.replace(/^\//, ''));
  await mkdir(app, { recursive: true });
  for (const copy of image.copies) {
    const destination = resolve(app, copy.destination.endsWith('/') || copy.destination === '.' || copy.destination === './' ? join(copy.destination, copy.source.split('/').pop()!) : copy.destination);
    await mkdir(dirname(destination), { recursive: true });
    if (!copy.from) {
      await cp(copy.source, destination, { recursive: true });
    } else if (copy.from === 'build' && copy.source === '/app/dist') {
      for (const include of buildCompilation().include) {
        if (!existsSync(join('dist', include))) throw new Error(`dist/${include} is missing: compile first (tsc -p tsconfig.json, as npm test does)`);
        await cp(join('dist', include), join(destination, include), { recursive: true });
      }
    } else if (copy.from === 'deps' && copy.source === '/app/node_modules') {
      await symlink(resolve(process.env.COMPOSE_REHEARSAL_NODE_MODULES ?? 'node_modules'), destination);
    } else {
      throw new Error(`Dockerfile COPY --from=${copy.from} ${copy.source}: the rehearsal does not know what that holds`);
    }
  }
  // mkdtemp's directories are private: the image's files are readable by its non-root USER.
  for (let path = app; path.startsWith(dir) && path !== dirname(dir); path = dirname(path)) await chmod(path, 0o755);
  return app;
}
