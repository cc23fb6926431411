import { readFileSync } from 'node:fs';
import { metricsRegistry } from '../../src/observability/metrics.js';

test('every metric of the provider has a row in docs/operations.md with an example PromQL query', async () => {
  const doc = readFileSync('docs/operations.md', 'utf8').split('\n');
  const names = (await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name).filter((name) => !/^cie_(process|nodejs)_/.test(name));
  expect(names.length).toBeGreaterThan(10);
  for (const name of names) {
    const row = doc.find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    // The last cell is a query that uses the metric (a counter or histogram series of it).
    const query = row!.split(' | ').at(-1)!;
    expect(query).toMatch(new RegExp(`^\`.*${name}(_bucket|_count|_sum)?[{\\[].*\`\\s*\\|?$`));
  }
});
