import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../../src/shared/free-port.js';
import type { ComposeService } from './compose-project.js';
import { runHealthcheck } from './healthcheck.js';
import { waitUntil, type RehearsalProcesses, type RunAs, type Started } from './rehearsal-processes.js';

/** Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<major>/bin (as test/support/local-postgres.ts finds them). */
function serverBin(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const majors = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  return `/usr/lib/postgresql/${majors[0] ?? '15'}/bin`;
}

/** initdb and postgres refuse root: as root they run as Debian's `postgres` user, as the image's entrypoint switches to its own. */
function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()) };
}

export interface PostgresContainer {
  port: number;
  /** Where the server's Unix socket is: the container's /var/run/postgresql. */
  socketDir: string;
  server: Started;
  /** The environment the image's own commands see (its healthcheck, its init scripts): the service's, with the socket mapped. */
  containerEnv: Record<string, string>;
}

/**
 * The `postgres` service started as the official image's docker-entrypoint.sh starts a new volume
 * (github.com/docker-library/postgres, docker-entrypoint.sh): initdb with POSTGRES_USER as the superuser
 * and POSTGRES_PASSWORD as its password; the image's pg_hba.conf (local socket trusted, every network
 * client by scram-sha-256: here that rule also covers 127.0.0.1, which stands for the compose network);
 * CREATE DATABASE POSTGRES_DB by that superuser; then every file of /docker-entrypoint-initdb.d (here
 * the bind mount's host directory), in name order, with the container's environment.
 * Unlike the image, the scripts run against the final server rather than a socket-only temporary one.
 */
export async function startPostgresContainer(service: ComposeService, initScriptsDir: string, dir: string, processes: RehearsalProcesses): Promise<PostgresContainer> {
  const env = service.environment ?? {};
  const user = serverUser();
  const data = join(dir, 'data');
  const socketDir = join(dir, 'run');
  await mkdir(socketDir, { recursive: true });
  const passwordFile = join(dir, 'pwfile');
  await writeFile(passwordFile, `${env.POSTGRES_PASSWORD}\n`, { mode: 0o600 });
  if (user) for (const path of [dir, socketDir, passwordFile]) await chown(path, user.uid, user.gid);
  const bin = serverBin();
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const initdb = await processes.run(`${bin}/initdb`, ['-D', data, `--username=${env.POSTGRES_USER}`, `--pwfile=${passwordFile}`, '-E', 'UTF8', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions'], { env: base, ...(user ? { as: user } : {}) }, 30_000);
  if (initdb.code !== 0) throw new Error(`initdb failed: ${initdb.output}`);
  const port = await freePort();
  const server = processes.start(`${bin}/postgres`, ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir}`, '-c', 'fsync=off'], { env: base, ...(user ? { as: user } : {}) });
  // libpq's defaults inside the container (/var/run/postgresql, 5432) → this server's socket and port.
  const containerEnv = { ...base, ...env, PGHOST: socketDir, PGPORT: String(port) };
  await waitUntil(async () => server.child.exitCode === null && (await runHealthcheck(['CMD', 'pg_isready', '-q'], containerEnv, processes)).code === 0, 20_000, () => server.output());

  // docker_setup_db: the database, created (and so owned) by POSTGRES_USER.
  const psql = (args: string[], extra: Record<string, string> = {}, input?: string) => processes.run('psql', ['-v', 'ON_ERROR_STOP=1', `--username=${env.POSTGRES_USER}`, '--no-password', '--no-psqlrc', ...args], { env: { ...containerEnv, ...extra }, ...(input === undefined ? {} : { input }) });
  const created = await psql(['--dbname=postgres', '--set', `db=${env.POSTGRES_DB}`], {}, 'CREATE DATABASE :"db" ;\n');
  if (created.code !== 0) throw new Error(`CREATE DATABASE failed: ${created.output}`);

  // docker_process_init_files: *.sh run (executable) or sourced, *.sql fed to psql.
  for (const name of (await readdir(initScriptsDir)).sort()) {
    const path = join(initScriptsDir, name);
    const initEnv = { ...containerEnv, PGPASSWORD: env.POSTGRES_PASSWORD ?? '' };
    const outcome = name.endsWith('.sh')
      ? await processes.run(path, [], { env: initEnv })
      : name.endsWith('.sql')
        ? await psql([`--dbname=${env.POSTGRES_DB}`, '-f', path], initEnv)
        : { code: 1, output: `${name}: neither .sh nor .sql (the image would ignore it: remove it)` };
    if (outcome.code !== 0) throw new Error(`/docker-entrypoint-initdb.d/${name} failed: ${outcome.output}`);
  }
  await chmod(socketDir, 0o755);
  return { port, socketDir, server, containerEnv };
}
