import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports below the kernel's ephemeral range, if there is room: a port picked there cannot be taken
 * by an outgoing connection (those get ephemeral ports) in the seconds between the pick and the
 * bind, which happened with port-0 picks while the test suites ran side by side (EADDRINUSE).
 */
function portsBelowEphemeralRange(): { low: number; high: number } | undefined {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (ephemeralLow !== undefined && ephemeralLow > 12_000) return { low: 10_000, high: ephemeralLow - 1 };
  } catch {
    // Not Linux: fall back to the kernel's pick.
  }
  return undefined;
}

const range = portsBelowEphemeralRange();

/**
 * Ports handed out by any process on this machine in the last two minutes. A port is free when it
 * is picked but is bound only later (a stack picks four ports, then starts its servers): two test
 * suites running side by side picked the same one in that gap and one failed with EADDRINUSE.
 * A reservation is a file created exclusively, so the first process to name the port wins.
 */
const RESERVATIONS = join(tmpdir(), 'cie-port-reservations');
const RESERVATION_MS = 120_000;

function reserve(port: number): boolean {
  const path = join(RESERVATIONS, String(port));
  try {
    mkdirSync(RESERVATIONS, { recursive: true });
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    // No writable temporary directory: only the bind check below is left, as before reservations.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true;
  }
  // Taken before: stale after RESERVATION_MS, when the port is bound by now or was never used.
  if (Date.now() - statSync(path).mtimeMs < RESERVATION_MS) return false;
  const now = new Date();
  utimesSync(path, now, now);
  return true;
}

/** Binds `port` on loopback and releases it; resolves with the port bound (the kernel's if 0), or undefined if taken. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port free on loopback right now (tests and the demo pick ports before the issuer URL is fixed).
 * `alsoFree` asks that `port + alsoFree` be free and below the ephemeral range too: a Redis Cluster
 * node binds its bus on port + 10000, and a bus port taken meant a node that exited at start.
 */
export async function freePort(options: { alsoFree?: number } = {}): Promise<number> {
  const offset = options.alsoFree ?? 0;
  for (let attempt = 0; range && range.high - offset > range.low && attempt < 50; attempt += 1) {
    const candidate = range.low + Math.floor(Math.random() * (range.high - offset - range.low + 1));
    if (!reserve(candidate) || (offset !== 0 && !reserve(candidate + offset))) continue;
    const port = await tryPort(candidate);
    if (port === undefined) continue;
    if (offset === 0 || (await tryPort(port + offset)) !== undefined) return port;
  }
  if (offset !== 0) throw new Error(`no free pair of ports ${offset} apart below the ephemeral range`);
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free port on loopback');
  return port;
}

/** Whether something accepts TCP connections on loopback `port` now (a child process that is up, a database that started). */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
