import { STATE_SEQUENCE, isFinal, type SessionView } from './session-state.js';
import { SmartphoneError } from './smartphone-error.js';

/** Where a stream's lines go (the HTTP response of one desktop page). */
export interface EventSink {
  write(text: string): void;
  end(): void;
}

/** One SSE event (the `state` event of docs/app-protocol.md): id = the state's sequence number. */
export function formatStateEvent(view: SessionView): string {
  return `id: ${STATE_SEQUENCE[view.state]}\nevent: state\ndata: ${JSON.stringify(view)}\n\n`;
}

interface Subscriber {
  sessionId: string;
  sink: EventSink;
  lastSent: number;
}

export interface SessionEventHubOptions {
  /** Reads the session's state from the shared store: the only source of events. */
  readState: (sessionId: string) => Promise<SessionView>;
  maxSubscribers: number;
  maxSubscribersPerSession: number;
  heartbeatSeconds: number;
  refreshSeconds: number;
  /** Milliseconds the page waits before reconnecting (the stream's `retry:` field). */
  retryMs?: number;
}

/**
 * The desktop pages' server push. Events are never kept in memory: every event is the session's
 * state as re-read from the StateStore, so a page that reconnects (to this or another provider
 * instance) with Last-Event-ID gets exactly the states it missed, and a change made by another
 * instance reaches the page at the next refresh. Bounded in streams per process and per session.
 */
export class SessionEventHub {
  readonly #subscribers = new Set<Subscriber>();
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: SessionEventHubOptions) {
    if (options.heartbeatSeconds > 0) this.#timers.push(setInterval(() => this.#heartbeat(), options.heartbeatSeconds * 1000).unref());
    if (options.refreshSeconds > 0) this.#timers.push(setInterval(() => void this.refreshAll(), options.refreshSeconds * 1000).unref());
  }

  get size(): number {
    return this.#subscribers.size;
  }

  /**
   * Opens a stream for a session the caller has already proved it owns. `lastEventId` is the
   * page's Last-Event-ID (a state sequence number); the current state is sent unless already seen.
   * Returns the function that closes the stream (the connection went away).
   */
  async subscribe(sessionId: string, sink: EventSink, lastEventId?: string): Promise<() => void> {
    if (this.#subscribers.size >= this.options.maxSubscribers) throw new SmartphoneError('too_many_streams', 'process stream limit');
    let perSession = 0;
    for (const s of this.#subscribers) if (s.sessionId === sessionId) perSession++;
    if (perSession >= this.options.maxSubscribersPerSession) throw new SmartphoneError('too_many_streams', 'session stream limit');
    const seen = Number.parseInt(lastEventId ?? '', 10);
    const subscriber: Subscriber = { sessionId, sink, lastSent: Number.isSafeInteger(seen) && seen > 0 ? seen : 0 };
    this.#subscribers.add(subscriber);
    sink.write(`retry: ${this.options.retryMs ?? 2000}\n\n`);
    await this.#deliver(subscriber);
    return () => this.#drop(subscriber);
  }

  /** A state changed in this process: tell its streams at once (other instances learn at their refresh). */
  async notify(sessionId: string): Promise<void> {
    await Promise.all([...this.#subscribers].filter((s) => s.sessionId === sessionId).map((s) => this.#deliver(s)));
  }

  async refreshAll(): Promise<void> {
    const sessions = new Set([...this.#subscribers].map((s) => s.sessionId));
    for (const sessionId of sessions) await this.notify(sessionId).catch(() => undefined);
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    for (const subscriber of [...this.#subscribers]) this.#drop(subscriber);
  }

  async #deliver(subscriber: Subscriber): Promise<void> {
    const view = await this.options.readState(subscriber.sessionId);
    const sequence = STATE_SEQUENCE[view.state];
    if (sequence > subscriber.lastSent && this.#subscribers.has(subscriber)) {
      subscriber.lastSent = sequence;
      subscriber.sink.write(formatStateEvent(view));
    }
    // A final state ends the stream: the page has nothing more to wait for.
    if (isFinal(view.state)) this.#drop(subscriber);
  }

  #heartbeat(): void {
    for (const subscriber of this.#subscribers) subscriber.sink.write(': ping\n\n');
  }

  #drop(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    subscriber.sink.end();
  }
}
