import { randomBytes } from 'node:crypto';
import type { CardStep } from '../card/index.js';
import type { StepListener } from './card-signer.js';

export type JobOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface CardJob<T> {
  readonly id: string;
  /** The sign-in (pending request) the job works for: one job at a time per sign-in. */
  readonly owner: string;
  /** Steps the card has completed so far, in order. */
  readonly steps: CardStep[];
  outcome: JobOutcome<T> | undefined;
  /** Resolves when the card is done (never rejects: see `outcome`). */
  readonly done: Promise<void>;
  finishedAt: number | undefined;
}

/** A finished job waits this long for its page to fetch the outcome. */
const KEEP_FINISHED_MS = 5 * 60 * 1000;

/**
 * Card operations that run while the citizen's page shows their steps. A job is only started by a
 * PIN form that passed the Origin and form-token checks, and a sign-in has at most one job, so the
 * table is bounded by the open sign-ins (32). Ids are random (128 bits) and appear only in our own
 * pages: the outcome (an assertion) is handed out once, to whoever shows the id.
 */
export class CardJobs<T> {
  readonly #jobs = new Map<string, CardJob<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts `run`, or returns the job still running for the same owner (a double submit). */
  start(owner: string, run: (onStep: StepListener) => Promise<T>): CardJob<T> {
    this.#prune();
    for (const job of this.#jobs.values()) {
      if (job.owner !== owner) continue;
      if (!job.outcome) return job;
      this.#jobs.delete(job.id);
    }
    const steps: CardStep[] = [];
    const job: CardJob<T> = {
      id: randomBytes(16).toString('base64url'),
      owner,
      steps,
      outcome: undefined,
      finishedAt: undefined,
      done: Promise.resolve()
        .then(() => run((step) => steps.push(step)))
        .then(
          (value) => this.#finish(job, { ok: true, value }),
          (error: unknown) => this.#finish(job, { ok: false, error }),
        ),
    };
    this.#jobs.set(job.id, job);
    return job;
  }

  get(id: string): CardJob<T> | undefined {
    this.#prune();
    return this.#jobs.get(id);
  }

  /** The finished job's outcome, once: later calls find nothing. */
  async take(id: string): Promise<CardJob<T> | undefined> {
    const job = this.get(id);
    if (!job) return undefined;
    await job.done;
    if (!this.#jobs.delete(id)) return undefined;
    return job;
  }

  #finish(job: CardJob<T>, outcome: JobOutcome<T>): void {
    job.outcome = outcome;
    job.finishedAt = this.now();
  }

  #prune(): void {
    const now = this.now();
    for (const [id, job] of this.#jobs) if (job.finishedAt !== undefined && job.finishedAt + KEEP_FINISHED_MS <= now) this.#jobs.delete(id);
  }
}
