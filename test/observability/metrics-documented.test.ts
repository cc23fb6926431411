import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { anchorMetricsRegistry } from '../../src/observability/anchor-metrics.js';
import { bridgeMetricsRegistry } from '../../src/observability/bridge-metrics.js';
import { metricsRegistry } from '../../src/observability/metrics.js';

const registries: Array<[string, Registry, number]> = [
  ['the provider', metricsRegistry, 10],
  ['the card bridge', bridgeMetricsRegistry, 3],
  ['the local trust anchor', anchorMetricsRegistry, 3],
];

test.each(registries)('every metric of %s has a row in docs/operations.md with an example PromQL query', async (_name, registry, atLeast) => {
  const doc = readFileSync('docs/operations.md', 'utf8').split('\n');
  const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name).filter((name) => !/^cie_(bridge_|trust_anchor_)?(process|nodejs)_/.test(name));
  expect(names.length).toBeGreaterThan(atLeast);
  for (const name of names) {
    const row = doc.find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    // The last cell is a query that uses the metric (a counter or histogram series of it).
    const query = row!.split(' | ').at(-1)!;
    expect(query).toMatch(new RegExp(`^\`.*${name}(_bucket|_count|_sum)?[{\\[].*\`\\s*\\|?$`));
  }
});
