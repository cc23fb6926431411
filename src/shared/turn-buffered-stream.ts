/** What the lines are handed to: pino's SonicBoom destination (stdout) or a test's stream. */
export interface LineSink {
  write(text: string): unknown;
  /** Writes what the sink itself still holds, synchronously (SonicBoom's flushSync); at the process's exit. */
  flushSync?(): void;
}

/**
 * A log destination that hands its sink the lines of one event-loop turn as one write. A login's
 * requests write a dozen lines, and with 16 logins in flight the same turn writes lines of several
 * requests: each write(2) of an asynchronous stdout is a trip through libuv's thread pool and a
 * completion callback on the main thread, so one per turn instead of one per line (or per write in
 * flight) is what the provider's CPU per login pays for logging. Lines stay in order; they reach
 * stdout at the end of the turn that wrote them, and the process's 'exit' writes what is still queued.
 */
export class TurnBufferedStream {
  #lines: string[] = [];
  #scheduled = false;

  /** `exits`: where the process's 'exit' is heard (a test hands its own emitter). */
  constructor(private readonly sink: LineSink, private readonly exits: Pick<NodeJS.EventEmitter, 'once' | 'removeListener'> = process) {}

  write(line: string): boolean {
    this.#lines.push(line);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // After the turn's I/O callbacks: the lines every request of this turn wrote go together.
      setImmediate(this.#flush);
      // Heard only while lines wait: no listener per logger for the process's life (a jest worker
      // imports the logger afresh for every test file).
      this.exits.once('exit', this.#atExit);
    }
    return true;
  }

  /** Writes the queued lines now (pino's `logger.flush()`, tests). */
  flush(callback?: (error?: Error) => void): void {
    this.#flush();
    callback?.();
  }

  /** The queued lines and whatever the sink still holds, synchronously (at the process's exit). */
  flushSync(): void {
    this.#flush();
    this.sink.flushSync?.();
  }

  readonly #atExit = (): void => this.flushSync();

  readonly #flush = (): void => {
    if (this.#scheduled) this.exits.removeListener('exit', this.#atExit);
    this.#scheduled = false;
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.sink.write(text);
  };
}
