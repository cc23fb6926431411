import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { acceptsConnections, freePort } from '../../src/shared/free-port.js';

export interface PostgresHandle {
  /** postgres://…/<database of this handle> */
  url: string;
  stop(): Promise<void>;
  /** SIGKILL the server (only a spawned one). */
  kill(): Promise<void>;
  /** Start it again on the same port and data directory (only a spawned one). */
  restart(): Promise<void>;
}

const BIN = process.env.POSTGRES_BIN ?? debianPostgresBin();

/** The newest /usr/lib/postgresql/<major>/bin (Debian keeps the server binaries off PATH). */
function debianPostgresBin(): string {
  const majors = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  return `/usr/lib/postgresql/${majors[0] ?? '15'}/bin`;
}
const READY_TIMEOUT_MS = 20_000;

// A throwaway PostgreSQL server for the tests and the bench (as test/support/pcsc-stack.ts is for PC/SC):
// never used by the provider itself.

/**
 * A database for one test file or bench run: on DATABASE_URL's server when set (a fresh database, dropped at stop),
 * otherwise a private `postgres` spawned on 127.0.0.1 and a free port (Debian's postgresql package,
 * installed by .ci/run). initdb and postgres refuse to run as root, and tests run as root here and in
 * CI: then both run as the `postgres` user of that package (`setpriv`, which execs it, so killing the child kills the server), on a directory it owns.
 */
export async function startPostgres(): Promise<PostgresHandle> {
  const shared = process.env.DATABASE_URL;
  if (shared) return freshDatabase(shared);
  return spawnPostgres();
}

async function freshDatabase(serverUrl: string): Promise<PostgresHandle> {
  const name = `registry_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const unsupported = async () => {
    throw new Error('kill/restart need a spawned postgres: unset DATABASE_URL');
  };
  return {
    url: url.href,
    kill: unsupported,
    restart: unsupported,
    stop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Always spawns a server (for tests that kill and restart it). */
export async function spawnPostgres(): Promise<PostgresHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'postgres-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chown(dir, ...(await postgresUser()));
  await run(asRoot, `${BIN}/initdb`, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const launch = async () => {
    const child = spawnAs(asRoot, `${BIN}/postgres`, ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=50']);
    await waitUntilAccepting(port, child);
    return child;
  };
  let child = await launch();
  const stopChild = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill: () => stopChild('SIGKILL'),
    restart: async () => {
      await stopChild('SIGKILL');
      child = await launch();
    },
    stop: async () => {
      await stopChild('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<[number, number]> {
  const child = spawn('id', ['postgres']);
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  // 'close', not 'exit': the output may still be in flight when the process exits.
  await once(child, 'close');
  const uid = /uid=(\d+)/.exec(text)?.[1];
  const gid = /gid=(\d+)/.exec(text)?.[1];
  if (!uid || !gid) throw new Error('running as root needs the `postgres` user of Debian\'s postgresql package (apt-get install postgresql), or set DATABASE_URL');
  return [Number(uid), Number(gid)];
}

function spawnAs(asRoot: boolean, command: string, args: string[]): ChildProcess {
  // setpriv execs the command (runuser would fork it): killing the child kills postgres itself.
  const child = asRoot ? spawn('setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', command, ...args], { stdio: 'ignore' }) : spawn(command, args, { stdio: 'ignore' });
  child.once('error', () => {});
  return child;
}

async function run(asRoot: boolean, command: string, args: string[]): Promise<void> {
  const child = spawnAs(asRoot, command, args);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} exited with ${code} (is Debian's postgresql installed? ${BIN})`);
}

async function waitUntilAccepting(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode} before accepting connections`);
    if (await acceptsConnections(port)) {
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 1000 });
      const ok = await client.connect().then(() => client.query('SELECT 1').then(() => true), () => false).finally(() => client.end().catch(() => {}));
      if (ok) return;
    }
    if (Date.now() > deadline) throw new Error(`postgres on port ${port} did not accept connections`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

