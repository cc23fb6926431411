import type { Mailer, MailMessage } from './mailer.js';

export interface OutboxEntry extends MailMessage {
  sentAt: Date;
}

const DEFAULT_CAPACITY = 200;

/**
 * The demo's mail: kept in memory, newest first, for a local page to show (no SMTP server needed).
 * Bounded: past `capacity`, the oldest mail goes.
 */
export class LocalOutbox implements Mailer {
  readonly #entries: OutboxEntry[] = [];

  constructor(
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.#entries.unshift({ ...message, sentAt: this.now() });
    this.#entries.length = Math.min(this.#entries.length, this.capacity);
  }

  /** Every kept mail, newest first; to one address (compared without case) when given. */
  list(to?: string): OutboxEntry[] {
    const wanted = to?.toLowerCase();
    return this.#entries.filter((entry) => wanted === undefined || entry.to.toLowerCase() === wanted).map((entry) => ({ ...entry }));
  }
}
