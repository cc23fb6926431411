/** Outcome of running a batch of work items under load. */
export interface LoadRun<T> {
  results: T[];
  failures: number;
  firstFailure: string | undefined;
  elapsedMs: number;
  /** Completed items per second over the whole run. */
  perSecond: number;
}

async function collect<I, T>(start: (run: (item: I) => Promise<void>) => Promise<void>, work: (item: I) => Promise<T>): Promise<LoadRun<T>> {
  const results: T[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const run = async (item: I) => {
    try {
      results.push(await work(item));
    } catch (error) {
      failures += 1;
      firstFailure ??= (error as Error).message;
    }
  };
  const began = performance.now();
  await start(run);
  const elapsedMs = performance.now() - began;
  return { results, failures, firstFailure, elapsedMs, perSecond: (results.length * 1000) / elapsedMs };
}

/** Saturating load: `concurrency` clients, each starting its next item as soon as the last one ends. */
export function closedLoop<I, T>(items: readonly I[], concurrency: number, work: (item: I) => Promise<T>): Promise<LoadRun<T>> {
  return collect<I, T>(async (run) => {
    let next = 0;
    const client = async () => {
      while (next < items.length) await run(items[next++]!);
    };
    await Promise.all(Array.from({ length: concurrency }, client));
  }, work);
}

/** Fixed arrival rate, whatever the latency (so queueing shows up in the latencies, not in the rate). */
export function openLoop<I, T>(items: readonly I[], perSecond: number, work: (item: I) => Promise<T>): Promise<LoadRun<T>> {
  return collect<I, T>(async (run) => {
    const began = performance.now();
    const running: Promise<void>[] = [];
    for (let index = 0; index < items.length; index += 1) {
      const due = began + (index * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      running.push(run(items[index]!));
    }
    await Promise.all(running);
  }, work);
}

/** Nearest-rank percentile (p99 of 500 samples is the 495th smallest). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Samples a value every `intervalMs` until stopped; returns the largest seen. */
export function sampleMax(read: () => number, intervalMs = 250): { stop(): number } {
  let max = read();
  const timer = setInterval(() => {
    max = Math.max(max, read());
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, read());
    },
  };
}
