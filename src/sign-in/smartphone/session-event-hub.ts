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

/** Sessions re-read at once in a refresh round: bounded, so a round of thousands of streams does not flood the store. */
const REFRESH_CONCURRENCY = 32;

/**
 * The desktop pages' server push. Events are never kept in memory: every event is the session's
 * state as re-read from the StateStore, so a page that reconnects (to this or another provider
 * instance) with Last-Event-ID gets exactly the states it missed, and a change made by another
 * instance reaches the page at the next refresh. Streams are grouped by session: one read of a
 * session serves all its streams (a citizen's tabs), and a refresh round reads each waiting session
 * once. Bounded in streams per process and per session.
 */
export class SessionEventHub {
  readonly #sessions = new Map<string, Set<Subscriber>>();
  readonly #timers: NodeJS.Timeout[] = [];
  #size = 0;
  #refreshing = false;

  constructor(private readonly options: SessionEventHubOptions) {
    if (options.heartbeatSeconds > 0) this.#timers.push(setInterval(() => this.#heartbeat(), options.heartbeatSeconds * 1000).unref());
    if (options.refreshSeconds > 0) this.#timers.push(setInterval(() => void this.#refreshRound(), options.refreshSeconds * 1000).unref());
  }

  get size(): number {
    return this.#size;
  }

  /** Sessions with at least one open stream (each is read once per refresh round). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /**
   * Opens a stream for a session the caller has already proved it owns. `lastEventId` is the
   * page's Last-Event-ID (a state sequence number); the current state is sent unless already seen.
   * Returns the function that closes the stream (the connection went away).
   */
  async subscribe(sessionId: string, sink: EventSink, lastEventId?: string): Promise<() => void> {
    if (this.#size >= this.options.maxSubscribers) throw new SmartphoneError('too_many_streams', 'process stream limit');
    const streams = this.#sessions.get(sessionId) ?? new Set<Subscriber>();
    if (streams.size >= this.options.maxSubscribersPerSession) throw new SmartphoneError('too_many_streams', 'session stream limit');
    const seen = Number.parseInt(lastEventId ?? '', 10);
    const subscriber: Subscriber = { sessionId, sink, lastSent: Number.isSafeInteger(seen) && seen > 0 ? seen : 0 };
    streams.add(subscriber);
    this.#sessions.set(sessionId, streams);
    this.#size++;
    sink.write(`retry: ${this.options.retryMs ?? 2000}\n\n`);
    this.#deliver(subscriber, await this.options.readState(sessionId));
    return () => this.#drop(subscriber);
  }

  /** A state changed in this process: tell its streams at once (other instances learn at their refresh). One read for all of them. */
  async notify(sessionId: string): Promise<void> {
    if (!this.#sessions.has(sessionId)) return;
    const view = await this.options.readState(sessionId);
    for (const subscriber of [...(this.#sessions.get(sessionId) ?? [])]) this.#deliver(subscriber, view);
  }

  /**
   * One refresh round: each session with open streams is read once, a few at a time. A session in a
   * final state has no streams left (its streams ended when it was delivered), so it is never read again.
   */
  async refreshAll(): Promise<void> {
    const pending = [...this.#sessions.keys()];
    const worker = async () => {
      for (let sessionId = pending.pop(); sessionId !== undefined; sessionId = pending.pop()) await this.notify(sessionId).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, pending.length) }, worker));
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    for (const streams of [...this.#sessions.values()]) for (const subscriber of [...streams]) this.#drop(subscriber);
  }

  /** The interval's round; a round still running when the next is due is not doubled (the store is slow enough already). */
  async #refreshRound(): Promise<void> {
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      await this.refreshAll();
    } finally {
      this.#refreshing = false;
    }
  }

  #deliver(subscriber: Subscriber, view: SessionView): void {
    if (!this.#sessions.get(subscriber.sessionId)?.has(subscriber)) return;
    const sequence = STATE_SEQUENCE[view.state];
    if (sequence > subscriber.lastSent) {
      subscriber.lastSent = sequence;
      subscriber.sink.write(formatStateEvent(view));
    }
    // A final state ends the stream: the page has nothing more to wait for.
    if (isFinal(view.state)) this.#drop(subscriber);
  }

  #heartbeat(): void {
    for (const streams of this.#sessions.values()) for (const subscriber of streams) subscriber.sink.write(': ping\n\n');
  }

  #drop(subscriber: Subscriber): void {
    const streams = this.#sessions.get(subscriber.sessionId);
    if (!streams?.delete(subscriber)) return;
    if (streams.size === 0) this.#sessions.delete(subscriber.sessionId);
    this.#size--;
    subscriber.sink.end();
  }
}
