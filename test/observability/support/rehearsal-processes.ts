import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunAs {
  uid: number;
  gid: number;
}

export interface StartOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Switch to this user first (only when running as root: a container's `USER`, postgres' own user). */
  as?: RunAs;
  /** Written to stdin, then closed (otherwise stdin is empty). */
  input?: string;
}

export interface Started {
  child: ChildProcess;
  /** stdout and stderr so far (for the message of a failed assertion). */
  output(): string;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Every process the rehearsal starts, so that one `stopAll` in afterAll ends them all, whatever failed.
 * A user switch goes through `setpriv`, which execs the command: the child's pid is the command's own.
 */
export class RehearsalProcesses {
  private readonly children = new Set<Started>();

  start(command: string, args: string[], options: StartOptions): Started {
    const switchUser = options.as && process.getuid?.() === 0;
    const [file, argv] = switchUser
      ? ['setpriv', [`--reuid=${options.as!.uid}`, `--regid=${options.as!.gid}`, '--clear-groups', '--', command, ...args]]
      : [command, args];
    const child = spawn(file, argv, { env: options.env, ...(options.cwd ? { cwd: options.cwd } : {}), stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let text = '';
    const keep = (chunk: Buffer) => {
      if (text.length < OUTPUT_LIMIT) text += chunk.toString('utf8');
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', (error) => {
        text += `\n${error.message}`;
        resolve(127);
      });
      child.once('close', (code) => resolve(code));
    });
    const started: Started = { child, output: () => text, exited };
    this.children.add(started);
    void exited.then(() => this.children.delete(started));
    return started;
  }

  /** Runs to the end (killed after `timeoutMs`): exit code and output. */
  async run(command: string, args: string[], options: StartOptions, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
    const started = this.start(command, args, options);
    const timer = setTimeout(() => started.child.kill('SIGKILL'), timeoutMs);
    const code = await started.exited;
    clearTimeout(timer);
    return { code, output: started.output() };
  }

  /** `signal` to one process, then SIGKILL if it has not exited after `graceMs`. */
  async stop(started: Started, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> {
    if (started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill(signal);
      const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
      await Promise.race([started.exited, once(started.child, 'close')]);
      clearTimeout(timer);
    }
    return started.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((started) => this.stop(started, 'SIGKILL', 5_000)));
  }
}

/** Runs `probe` until it is true; fails with `describe()` after `timeoutMs` (compose's retries, without its 10 s interval). */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
