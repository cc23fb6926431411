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
 * stdout at the end of the turn that wrote them, and the process's 'exit' writes what is left.
 */
export class TurnBufferedStream {
  #lines: string[] = [];
  #scheduled = false;

  constructor(private readonly sink: LineSink, exitHook: (flush: () => void) => void = (flush) => process.once('exit', flush)) {
    exitHook(() => this.flushSync());
  }

  write(line: string): boolean {
    this.#lines.push(line);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // After the turn's I/O callbacks: the lines every request of this turn wrote go together.
      setImmediate(this.#flush);
    }
    return true;
  }

  /** Writes the queued lines now (pino's `logger.flush()`, tests). */
  flush(callback?: (error?: Error) => void): void {
    this.#flush();
    callback?.();
  }

  /** At exit: the queued lines and whatever the sink still holds, synchronously. */
  flushSync(): void {
    this.#flush();
    this.sink.flushSync?.();
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.sink.write(text);
  };
}
