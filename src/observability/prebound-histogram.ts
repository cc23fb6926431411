import type { Registry } from 'prom-client';

/** One label set's counts: `buckets[i]` observations ≤ the i-th bound (not cumulative), and the +Inf rest. */
interface Series {
  labels: Readonly<Record<string, string>>;
  buckets: Float64Array;
  sum: number;
  count: number;
}

export interface BoundHistogram {
  observe(value: number): void;
}

/**
 * A Prometheus histogram whose label sets are resolved once, when a caller binds them (`labels`),
 * not at every observation. Why not prom-client's own Histogram: its bound child still validates,
 * sorts and joins the label values into a key at each `observe`, and the storage wrappers observe
 * every storage call of every request (about sixty per login, docs/benchmarks.md, session 11).
 * It is registered in a prom-client Registry like any metric (the registry asks `get()` and prints
 * the text exposition): buckets cumulative with `le`, then `_sum` and `_count`, as prom-client does.
 * Label values must come from closed sets (see metrics.ts): each distinct set is a series kept forever.
 */
export class PreboundHistogram<Label extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, Series>();

  constructor(
    readonly config: { name: string; help: string; labelNames: readonly Label[]; buckets: readonly number[]; registers: readonly Registry[] },
  ) {
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
    for (const registry of config.registers) registry.registerMetric(this as never);
  }

  get name(): string {
    return this.config.name;
  }

  get help(): string {
    return this.config.help;
  }

  /** The label set's series, made at its first binding: keep the result and observe through it. */
  labels(values: Readonly<Record<Label, string>>): BoundHistogram {
    const labels = Object.fromEntries(this.config.labelNames.map((name) => [name, String(values[name])]));
    const key = JSON.stringify(this.config.labelNames.map((name) => labels[name]));
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, buckets: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    const bound = series;
    const bounds = this.#bounds;
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) return;
        let index = 0;
        while (index < bounds.length && value > bounds[index]!) index += 1;
        bound.buckets[index]! += 1;
        bound.sum += value;
        bound.count += 1;
      },
    };
  }

  /** What prom-client's Registry prints: per series, the cumulative buckets (`le` first, as prom-client), `+Inf`, `_sum` and `_count`. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] }> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, index) => {
        cumulative += series.buckets[index]!;
        values.push({ labels: { le: bound, ...series.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...series.labels }, value: series.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Every series back to zero (prom-client's `resetMetrics`); bound series keep counting into theirs. */
  reset(): void {
    for (const series of this.#series.values()) {
      series.buckets.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
