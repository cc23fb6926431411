/** What the lines are handed to: pino's SonicBoom destination (stdout) or a test's stream. */
export interface LineSink {
  write(text: string): unknown;
  /** Writes what the sink itself still holds, synchronously (SonicBoom's flushSync); at the process's exit. */
  flushSync?(): void;
}

export interface BatchLimits {
  /** The longest a line waits for its batch to be written (default 100 ms). */
  maxDelayMs?: number;
  /** A batch this large is written at once (default 64 KiB of text). */
  maxBytes?: number;
}

/**
 * A log destination that hands its sink the lines of up to `maxDelayMs` as one write. Every write(2)
 * of stdout costs the provider a system call, and (asynchronous) a trip through libuv's thread pool
 * and a completion callback on the main thread: at one write per event-loop turn a login's dozen
 * request lines still cost about a write each (docs/benchmarks.md, session 11). Lines stay in order
 * and reach stdout at most `maxDelayMs` late; a batch of `maxBytes` goes at once, so memory stays
 * bounded under any load; the process's 'exit' writes what is still queued.
 */
export class BatchedLineStream {
  #lines: string[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #maxDelayMs: number;
  readonly #maxBytes: number;

  /** `exits`: where the process's 'exit' is heard (a test hands its own emitter). */
  constructor(
    private readonly sink: LineSink,
    limits: BatchLimits = {},
    private readonly exits: Pick<NodeJS.EventEmitter, 'once' | 'removeListener'> = process,
  ) {
    this.#maxDelayMs = limits.maxDelayMs ?? 100;
    this.#maxBytes = limits.maxBytes ?? 64 * 1024;
  }

  write(line: string): boolean {
    this.#lines.push(line);
    this.#bytes += line.length;
    if (this.#bytes >= this.#maxBytes) {
      this.#flush();
    } else if (this.#timer === undefined) {
      // Unref'd: waiting lines never keep a process alive; its 'exit' writes them.
      this.#timer = setTimeout(this.#flush, this.#maxDelayMs).unref();
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
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.exits.removeListener('exit', this.#atExit);
    }
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.#bytes = 0;
    this.sink.write(text);
  };
}
