import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

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
 * Starts a Node or native program and resolves once a line of its stdout matches `ready`. Output
 * keeps being read (and dropped) so that a chatty child (audit lines) never blocks on a full pipe.
 */
export async function startChild(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildService> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string) => {
      if (!ready.test(line)) return;
      lines.off('line', onLine);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`${command} exited (${code}) before it was ready: ${stderr}`));
    lines.on('line', onLine);
    child.once('exit', onExit);
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
