import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { freePort } from '../../../src/shared/free-port.js';
import type { ComposeService } from './compose-project.js';
import { runHealthcheck } from './healthcheck.js';
import { waitUntil, type RehearsalProcesses, type Started } from './rehearsal-processes.js';

export interface RedisContainer {
  port: number;
  server: Started;
  /** The environment of a command run inside the container: the service's, and redis-cli pointed at this server. */
  containerEnv: Record<string, string>;
}

function onPath(program: string): string {
  const found = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, program)).find((path) => existsSync(path));
  if (!found) throw new Error(`${program} is not installed (apt-get install redis-server)`);
  return found;
}

/**
 * The `redis` service: its `command` as written, plus where this machine puts it — 127.0.0.1 and a
 * free port instead of the container's 6379, and a temporary directory for the image's WORKDIR /data
 * (the `redis-data` volume, where the append-only file goes). Inside the container, `redis-cli` reaches
 * that server at its default 127.0.0.1:6379: here a `redis-cli` first on PATH adds `-p <port>`, so the
 * healthcheck runs unchanged.
 */
export async function startRedisContainer(service: ComposeService, dir: string, processes: RehearsalProcesses): Promise<RedisContainer> {
  const [program, ...args] = service.command ?? [];
  if (program !== 'redis-server') throw new Error(`redis service: command ${JSON.stringify(service.command)} does not start redis-server`);
  const port = await freePort();
  const data = join(dir, 'data');
  const shims = join(dir, 'bin');
  await mkdir(data, { recursive: true });
  await mkdir(shims, { recursive: true });
  await writeFile(join(shims, 'redis-cli'), `#!/bin/sh\nexec ${onPath('redis-cli')} -p ${port} "$@"\n`);
  await chmod(join(shims, 'redis-cli'), 0o755);
  const server = processes.start(onPath('redis-server'), [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', data], { env: { PATH: process.env.PATH ?? '' }, cwd: data });
  const containerEnv = { ...(service.environment ?? {}), PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` };
  // depends_on: condition service_healthy — the provider starts once the service's own healthcheck passes.
  await waitUntil(async () => server.child.exitCode === null && (await runHealthcheck(service.healthcheck!.test, containerEnv, processes)).code === 0, 10_000, () => server.output());
  return { port, server, containerEnv };
}
