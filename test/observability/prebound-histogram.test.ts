import { Histogram, Registry } from 'prom-client';
import { PreboundHistogram } from '../../src/observability/prebound-histogram.js';

const config = { name: 'test_duration_seconds', help: 'Time of one test call, by store and operation.', labelNames: ['store', 'operation'] as const, buckets: [0.001, 0.01, 0.1, 1] };
const observations: [Record<'store' | 'operation', string>, number][] = [
  [{ store: 'state', operation: 'get' }, 0.0005],
  [{ store: 'state', operation: 'get' }, 0.001],
  [{ store: 'state', operation: 'get' }, 0.05],
  [{ store: 'Session', operation: 'upsert' }, 0.02],
  [{ store: 'state', operation: 'get' }, 3],
  [{ store: 'Session', operation: 'upsert' }, 0.1],
];

describe('PreboundHistogram: label sets bound once, printed as prom-client prints its Histogram', () => {
  test('the same observations give the same text exposition as prom-client\'s Histogram', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ ...config, registers: [theirs] });
    const prebound = new PreboundHistogram({ ...config, registers: [ours] });
    const bound = new Map<string, ReturnType<typeof prebound.labels>>();
    for (const [labels, value] of observations) {
      reference.labels(labels).observe(value);
      const key = `${labels.store}/${labels.operation}`;
      if (!bound.has(key)) bound.set(key, prebound.labels(labels));
      bound.get(key)!.observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  test('binding the same labels twice counts into one series; reset zeroes every series and bound ones keep counting', async () => {
    const registry = new Registry();
    const histogram = new PreboundHistogram({ ...config, registers: [registry] });
    const first = histogram.labels({ store: 'state', operation: 'get' });
    const again = histogram.labels({ operation: 'get', store: 'state' });
    first.observe(0.002);
    again.observe(0.2);
    const count = async () => (await histogram.get()).values.find((value) => value.metricName === 'test_duration_seconds_count')!.value;
    expect(await count()).toBe(2);
    registry.resetMetrics();
    expect(await count()).toBe(0);
    first.observe(0.002);
    expect(await count()).toBe(1);
  });

  test('a value that is not a finite number is not counted', async () => {
    const histogram = new PreboundHistogram({ ...config, registers: [new Registry()] });
    const series = histogram.labels({ store: 'state', operation: 'get' });
    series.observe(Number.NaN);
    series.observe(Number.POSITIVE_INFINITY);
    series.observe(0.5);
    const { values } = await histogram.get();
    expect(values.find((value) => value.metricName === 'test_duration_seconds_count')!.value).toBe(1);
    expect(values.find((value) => value.metricName === 'test_duration_seconds_sum')!.value).toBe(0.5);
  });
});
