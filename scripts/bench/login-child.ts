import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { acceptsConnections } from '../../src/shared/free-port.js';

// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

export interface ChildService {
  process: ChildProcess;
  /** Resident set size now, in bytes (Linux /proc). */
  rssBytes(): number;
  /** User + system CPU time used so far, in seconds (Linux /proc). */
  cpuSeconds(): number;
  /** SIGTERM and wait for the exit (a provider drains; `--cpu-prof` writes its profile then). */
  stop(): Promise<void>;
}

/**
 * How a child says it is ready: a line of its stdout, a TCP port on 127.0.0.1 that accepts
 * connections, or (with `path`) an HTTP GET of that path answering 200.
 */
export type Readiness = RegExp | { port: number; path?: string };

const READY_TIMEOUT_MS = 180_000;

/**
 * Starts a Node or native program and resolves once it is ready: a line of its stdout matches, or
 * its port accepts connections (a provider's log lines depend on LOG_LEVEL: at `warn` it prints no
 * "listening" line). Output keeps being read (and dropped) so that a chatty child (audit lines)
 * never blocks on a full pipe.
 */
export async function startChild(command: string, args: string[], env: Record<string, string>, ready: Readiness): Promise<ChildService> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', () => {});
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      lines.off('line', onLine);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onLine = (line: string) => {
      if (ready instanceof RegExp && ready.test(line)) done();
    };
    const onExit = (code: number | null) => done(new Error(`${command} exited (${code}) before it was ready: ${stderr}`));
    lines.on('line', onLine);
    child.once('exit', onExit);
    if (!(ready instanceof RegExp)) {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      const poll = async () => {
        while (!settled) {
          if (ready.path ? await answersOk(ready.port, ready.path) : await acceptsConnections(ready.port)) return done();
          if (Date.now() > deadline) return done(new Error(`${command} did not accept connections on port ${ready.port} within ${READY_TIMEOUT_MS / 1000} s: ${stderr}`));
          await new Promise((wait) => setTimeout(wait, 100));
        }
      };
      void poll();
    }
  });
  return {
    process: child,
    rssBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime in clock ticks.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function answersOk(port: number, path: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
