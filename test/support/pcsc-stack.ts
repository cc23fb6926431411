/**
 * Starts the real PC/SC stack for integration tests (root, Debian): pcscd with a private vpcd
 * reader in a private network namespace, and a way to insert this process's virtual cards into it.
 * Recipe and pitfalls: docs/references.md, "PC/SC and vpcd"; docs/benchmarks.md.
 *
 * Only one pcscd can run per machine (its socket path is fixed), so stacks are serialised across
 * jest workers by a lock the kernel releases when its holder dies (a listening abstract Unix
 * socket). The holder lists what it started in a state file; the next holder ends what a crashed
 * one left behind. (A lock directory with stale-lock recovery would let two waiters "recover" the
 * same stale lock at once.)
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/shared/project-root.js';
import { connectToVpcd, type VpcdConnection } from '../../src/simulator/vpcd-connector.js';
import type { VirtualCardPort } from '../../src/simulator/virtual-card-port.js';

export interface PcscStack {
  /** The reader the inserted card appears in. */
  readonly readerName: string;
  /** Inserts the card; resolves once vpcd has detected it (it asked for the ATR). */
  insertCard(card: VirtualCardPort): Promise<void>;
  /** Pulls the card out; pcscd notices at its next presence poll (400 ms). */
  removeCard(): Promise<void>;
  /** Stops everything started; safe to call twice. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const VPCD_PORT = 40000; // any port: it exists only inside the private namespace
const FRIENDLY_NAME = 'CIE Test PCD';
/** Linux abstract socket name (leading NUL): no file, gone with the process that listens on it. */
export const PCSC_HARNESS_LOCK = '\0cie-pcsc-harness-lock';
/** What the current lock holder started; exists only while a stack runs or after a crash. */
export const PCSC_HARNESS_STATE = join(tmpdir(), 'cie-pcsc-harness-state.json');
// Generous on purpose: the lock is held for a whole suite of another jest worker (the PC/SC login starts a
// provider stack too), and under CI load pcscd, the relay's node and vpcd all start slower. They only bound a hang.
const LOCK_WAIT_MS = 240_000;
const STEP_TIMEOUT_MS = 20_000;
/**
 * The longest `startPcscStack` may take (another worker's stack to stop, then its own four steps): a jest
 * hook or test that starts a stack needs at least this, or it times out while merely waiting its turn.
 */
export const PCSC_STACK_START_TIMEOUT_MS = LOCK_WAIT_MS + 4 * STEP_TIMEOUT_MS;
// Plain JavaScript run by `node` inside the namespace; found from the project root so the same
// file serves the TypeScript sources (tests) and dist/ (the bench).
const RELAY_SCRIPT = join(projectRoot(), 'src', 'simulator', 'vpcd-relay.mjs');

interface StartedProcess {
  readonly child: ChildProcess;
  /** Its name in /proc/<pid>/comm once running. */
  readonly command: string;
}

export interface PcscHarnessState {
  /** Processes to end if the holder dies without stopping its stack. */
  readonly processes: { pid: number; command: string }[];
  /** Scratch directory (reader config, relay socket) to delete with them. */
  readonly workDir: string | undefined;
}

export async function startPcscStack(): Promise<PcscStack> {
  checkPrerequisites();
  const lock = await acquireLock();
  await endLeftoversOfCrashedHolder();
  const started: StartedProcess[] = [];
  /** Records each process at once, so a crashed test process leaves nothing unowned. */
  const track = async (child: ChildProcess, command: string): Promise<ChildProcess> => {
    started.push({ child, command });
    await writeState(started, workDir);
    return child;
  };
  let workDir: string | undefined;
  let forwarder: Forwarder | undefined;
  const cleanUp = async (): Promise<void> => {
    await forwarder?.close();
    for (const { child } of started.reverse()) await stopProcess(child);
    if (workDir) await rm(workDir, { recursive: true, force: true });
    await rm(PCSC_HARNESS_STATE, { force: true });
    await new Promise((resolve) => lock.close(resolve));
  };
  try {
    workDir = await mkdtemp(join(tmpdir(), 'cie-pcsc-'));
    await writeState(started, workDir);
    const configDir = join(workDir, 'reader.conf.d');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'vpcd'),
      `FRIENDLYNAME "${FRIENDLY_NAME}"\nDEVICENAME /dev/null:${VPCD_PORT}\nLIBPATH ${VPCD_DRIVER}\nCHANNELID ${VPCD_PORT}\n`,
    );

    // unshare and nsenter exec their command, so each pid below is that of sleep / pcscd / node.
    const holder = await track(spawn('unshare', ['-n', 'sleep', 'infinity'], { stdio: 'ignore' }), 'sleep');
    const ns = String(holder.pid);
    await waitUntil('the network namespace', () => ownNetNamespace(holder.pid) !== ownNetNamespace(process.pid), holder);
    const inNamespace = (...command: string[]) => run('nsenter', ['-t', ns, '-n', ...command], { timeout: STEP_TIMEOUT_MS });
    await inNamespace('ip', 'link', 'set', 'lo', 'up');
    // Debian's vpcd 0.8 sends length and payload in two writes: Nagle + delayed ACK = ~44 ms per
    // APDU. Quick ACKs on loopback, in this namespace only, bring it below a millisecond.
    for (const prefix of ['127.0.0.0/8', '127.0.0.1']) {
      await inNamespace('ip', 'route', 'change', 'local', prefix, 'dev', 'lo', 'proto', 'kernel', 'scope', 'host', 'src', '127.0.0.1', 'table', 'local', 'quickack', '1');
    }

    const pcscd = await track(
      spawn('nsenter', ['-t', ns, '-n', 'pcscd', '--foreground', '--config', configDir], { stdio: ['ignore', 'pipe', 'pipe'] }),
      'pcscd',
    );
    const pcscdLog = collectOutput(pcscd);
    // Ready when pcscd serves clients and vpcd listens; `ss -x` inside the namespace sees only this pcscd's socket.
    const listening = async (...filter: string[]) => (await inNamespace('ss', '-Hl', ...filter)).stdout.trim() !== '';
    await waitUntil('pcscd', async () => (await listening('-x', 'src', PCSCD_SOCKET)) && (await listening('-t', 'sport', '=', `:${VPCD_PORT}`)), pcscd, pcscdLog);

    const relaySocket = join(workDir, 'vpcd-relay.sock');
    const relay = await track(
      spawn('nsenter', ['-t', ns, '-n', process.execPath, RELAY_SCRIPT, relaySocket, String(VPCD_PORT)], { stdio: ['pipe', 'pipe', 'pipe'] }),
      basename(process.execPath),
    );
    const relayLog = collectOutput(relay);
    await waitUntil('the vpcd relay', () => relayLog().includes('ready'), relay, relayLog);

    forwarder = await listenForwardingTo(relaySocket);
    const port = forwarder.port;

    let inserted: VpcdConnection | undefined;
    let stopped = false;
    return {
      readerName: `${FRIENDLY_NAME} 00 00`,
      async insertCard(card) {
        if (inserted) throw new Error('A card is already inserted; remove it first');
        let detected!: () => void;
        const detection = new Promise<void>((resolve) => (detected = resolve));
        inserted = await connectToVpcd(announcingAtrRequests(card, detected), { port });
        await withTimeout(detection, STEP_TIMEOUT_MS, 'vpcd did not detect the inserted card');
      },
      async removeCard() {
        await inserted?.close();
        inserted = undefined;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await inserted?.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error('The PC/SC test stack needs root (network namespace, pcscd)');
  for (const command of ['pcscd', 'unshare', 'nsenter', 'ip', 'ss']) {
    if (!onPath(command)) {
      throw new Error(`The PC/SC test stack needs "${command}" (apt-get install pcscd vsmartcard-vpcd util-linux iproute2)`);
    }
  }
  if (!existsSync(VPCD_DRIVER)) throw new Error(`The PC/SC test stack needs ${VPCD_DRIVER} (apt-get install vsmartcard-vpcd)`);
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** A card whose ATR requests are reported: vpcd asks for the ATR when it detects a card. */
function announcingAtrRequests(card: VirtualCardPort, onAtrRequest: () => void): VirtualCardPort {
  return {
    get atr() {
      onAtrRequest();
      return card.atr;
    },
    transmit: (command) => card.transmit(command),
    reset: () => card.reset(),
    powerOff: () => card.powerOff(),
    powerOn: () => card.powerOn(),
  };
}

interface Forwarder {
  readonly port: number;
  close(): Promise<void>;
}

/** TCP on the host's loopback → the relay's Unix socket, so the card uses the plain vpcd connector. */
function listenForwardingTo(unixSocket: string): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  const server = createServer((card) => {
    const relay = connect(unixSocket);
    card.setNoDelay(true);
    card.pipe(relay);
    relay.pipe(card);
    for (const socket of [card, relay]) {
      sockets.add(socket);
      const closeBoth = () => {
        card.destroy();
        relay.destroy();
        sockets.delete(socket);
      };
      socket.on('error', closeBoth);
      socket.on('close', closeBoth);
    }
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      sockets.forEach((socket) => socket.destroy());
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, close }));
  });
}

async function acquireLock(): Promise<Server> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await listenOn(PCSC_HARNESS_LOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    if (Date.now() > deadline) throw new Error('Timed out waiting for another PC/SC test stack to stop');
    await sleep(100);
  }
}

function listenOn(path: string): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

/** Holding the lock proves the previous holder is gone: whatever its state file lists is orphaned. */
async function endLeftoversOfCrashedHolder(): Promise<void> {
  let state: PcscHarnessState;
  try {
    state = JSON.parse(await readFile(PCSC_HARNESS_STATE, 'utf8')) as PcscHarnessState;
  } catch {
    return; // no state file: the previous holder stopped cleanly
  }
  for (const { pid, command } of state.processes) {
    if (processCommand(pid) === command) await endOrphan(pid);
  }
  if (state.workDir) await rm(state.workDir, { recursive: true, force: true });
  await rm(PCSC_HARNESS_STATE, { force: true });
}

/**
 * Ends a process of a crashed holder: SIGTERM first, so that pcscd removes its pid file and
 * socket (a killed pcscd may stay a zombie for a while, and a new pcscd refuses to start while
 * the pid in the stale pid file looks alive); SIGKILL if it does not go.
 */
async function endOrphan(pid: number): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (!isRunning(pid)) return;
      await sleep(20);
    }
  }
}

/** Alive and not a zombie (a zombie has exited but still answers kill(pid, 0)). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function writeState(started: StartedProcess[], workDir: string | undefined): Promise<void> {
  const processes = started.flatMap(({ child, command }) => (child.pid === undefined ? [] : [{ pid: child.pid, command }]));
  const state: PcscHarnessState = { processes, workDir };
  await writeFile(PCSC_HARNESS_STATE, JSON.stringify(state));
}

/** The process's executable name; used to not signal a recycled pid. */
function processCommand(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function ownNetNamespace(pid: number | undefined): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => output;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `ready` until it holds; fails early if `child` exits meanwhile. */
async function waitUntil(
  what: string,
  ready: () => boolean | Promise<boolean>,
  child: ChildProcess,
  log: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await ready())) {
    const failure = child.exitCode !== null || child.signalCode !== null ? 'the process exited' : Date.now() > deadline ? 'timed out' : undefined;
    if (failure) throw new Error(`Starting ${what} failed: ${failure}. Output: ${log()}`);
    await sleep(10);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
