/**
 * The real PC/SC stack for the bench: pcscd with a private vpcd reader in a private network
 * namespace with quick ACKs, and a way to insert this process's virtual card. The same approach as
 * test/support/pcsc-harness.ts (which cannot be imported: it lives outside the build and starts a
 * .mjs relay that tsc does not copy); it takes the harness's lock and state file, so the bench never
 * runs beside the PC/SC tests and either one ends what the other left behind after a crash.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectToVpcd, type VpcdConnection } from '../../src/simulator/vpcd-connector.js';
import type { VirtualCardPort } from '../../src/simulator/virtual-card-port.js';

export interface BenchPcscStack {
  readonly readerName: string;
  /** Inserts the card; resolves once vpcd asked for its ATR (= detected it). */
  insertCard(card: VirtualCardPort): Promise<VpcdConnection>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const VPCD_PORT = 40000; // exists only inside the private namespace
const FRIENDLY_NAME = 'CIE Bench PCD';
// Shared with test/support/pcsc-harness.ts: one pcscd per machine (its socket path is fixed).
const LOCK = '\0cie-pcsc-harness-lock';
const STATE_FILE = join(tmpdir(), 'cie-pcsc-harness-state.json');
const LOCK_WAIT_MS = 60_000;
const STEP_TIMEOUT_MS = 10_000;
const RELAY_SCRIPT = fileURLToPath(new URL('./vpcd-relay.js', import.meta.url));

/** Throws with the reason when this machine cannot run the stack (the bench prints it and goes on). */
export async function startBenchPcscStack(): Promise<BenchPcscStack> {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespace, pcscd)');
  if (!existsSync(VPCD_DRIVER)) throw new Error(`needs ${VPCD_DRIVER} (apt-get install vsmartcard-vpcd)`);
  const lock = await acquireLock();
  await endLeftovers();
  const started: { child: ChildProcess; command: string }[] = [];
  let workDir: string | undefined;
  let forwarder: Forwarder | undefined;
  const track = async (child: ChildProcess, command: string) => {
    started.push({ child, command });
    await writeFile(STATE_FILE, JSON.stringify({ processes: started.map(({ child: c, command: name }) => ({ pid: c.pid, command: name })), workDir }));
    return child;
  };
  const cleanUp = async () => {
    await forwarder?.close();
    for (const { child } of started.reverse()) await stopProcess(child);
    if (workDir) await rm(workDir, { recursive: true, force: true });
    await rm(STATE_FILE, { force: true });
    await new Promise((resolve) => lock.close(resolve));
  };
  try {
    workDir = await mkdtemp(join(tmpdir(), 'cie-bench-pcsc-'));
    const configDir = join(workDir, 'reader.conf.d');
    await mkdir(configDir);
    await writeFile(join(configDir, 'vpcd'), `FRIENDLYNAME "${FRIENDLY_NAME}"\nDEVICENAME /dev/null:${VPCD_PORT}\nLIBPATH ${VPCD_DRIVER}\nCHANNELID ${VPCD_PORT}\n`);

    const holder = await track(spawn('unshare', ['-n', 'sleep', 'infinity'], { stdio: 'ignore' }), 'sleep');
    const ns = String(holder.pid);
    await waitUntil('the network namespace', () => netNamespace(holder.pid) !== netNamespace(process.pid), holder);
    const inNamespace = (...command: string[]) => run('nsenter', ['-t', ns, '-n', ...command], { timeout: STEP_TIMEOUT_MS });
    await inNamespace('ip', 'link', 'set', 'lo', 'up');
    // Debian's vpcd 0.8 writes length and payload separately: Nagle + delayed ACK cost ~44 ms per APDU
    // (reference/perf-anchors-and-vpcd.md B.3 c). Quick ACKs, in this namespace only, remove that.
    for (const prefix of ['127.0.0.0/8', '127.0.0.1']) {
      await inNamespace('ip', 'route', 'change', 'local', prefix, 'dev', 'lo', 'proto', 'kernel', 'scope', 'host', 'src', '127.0.0.1', 'table', 'local', 'quickack', '1');
    }

    const pcscd = await track(spawn('nsenter', ['-t', ns, '-n', 'pcscd', '--foreground', '--config', configDir], { stdio: ['ignore', 'pipe', 'pipe'] }), 'pcscd');
    const pcscdLog = collectOutput(pcscd);
    const listening = async (...filter: string[]) => (await inNamespace('ss', '-Hl', ...filter)).stdout.trim() !== '';
    await waitUntil('pcscd', async () => (await listening('-x', 'src', PCSCD_SOCKET)) && (await listening('-t', 'sport', '=', `:${VPCD_PORT}`)), pcscd, pcscdLog);

    const relaySocket = join(workDir, 'vpcd-relay.sock');
    const relay = await track(
      spawn('nsenter', ['-t', ns, '-n', process.execPath, RELAY_SCRIPT, relaySocket, String(VPCD_PORT)], { stdio: ['ignore', 'pipe', 'pipe'] }),
      basename(process.execPath),
    );
    const relayLog = collectOutput(relay);
    await waitUntil('the vpcd relay', () => relayLog().includes('ready'), relay, relayLog);
    forwarder = await forwardTo(relaySocket);
    const { port } = forwarder;

    let stopped = false;
    return {
      readerName: `${FRIENDLY_NAME} 00 00`,
      async insertCard(card) {
        let detected!: () => void;
        const detection = new Promise<void>((resolve) => (detected = resolve));
        const reporting: VirtualCardPort = {
          get atr() {
            detected();
            return card.atr;
          },
          transmit: (command) => card.transmit(command),
          reset: () => card.reset(),
          powerOff: () => card.powerOff(),
          powerOn: () => card.powerOn(),
        };
        const connection = await connectToVpcd(reporting, { port });
        await withTimeout(detection, STEP_TIMEOUT_MS, 'vpcd did not detect the inserted card');
        return connection;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A listening abstract Unix socket: the kernel frees it when its holder dies, so no stale lock. */
async function acquireLock(): Promise<Server> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await new Promise<Server>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(LOCK, () => resolve(server));
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    if (Date.now() > deadline) throw new Error('another PC/SC stack (the PC/SC tests?) kept running for 60 s');
    await sleep(100);
  }
}

/** Holding the lock proves the previous holder is gone: end what its state file lists (pid + name, against pid reuse). */
async function endLeftovers(): Promise<void> {
  let state: { processes: { pid: number; command: string }[]; workDir?: string };
  try {
    state = JSON.parse(await readFile(STATE_FILE, 'utf8'));
  } catch {
    return;
  }
  for (const { pid, command } of state.processes) {
    if (processName(pid) !== command) continue;
    // SIGTERM first so that pcscd removes its socket and pid file.
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        break;
      }
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && isRunning(pid)) await sleep(20);
      if (!isRunning(pid)) break;
    }
  }
  if (state.workDir) await rm(state.workDir, { recursive: true, force: true });
  await rm(STATE_FILE, { force: true });
}

function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function netNamespace(pid: number | undefined): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

interface Forwarder {
  readonly port: number;
  close(): Promise<void>;
}

/** TCP on the host's loopback → the relay's Unix socket, so the card uses the ordinary vpcd connector. */
function forwardTo(unixSocket: string): Promise<Forwarder> {
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

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
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

async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, child: ChildProcess, log: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await ready())) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`starting ${what} failed: the process exited. ${log()}`);
    if (Date.now() > deadline) throw new Error(`starting ${what} timed out. ${log()}`);
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
