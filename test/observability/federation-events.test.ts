import { federationEvents } from '../../src/observability/federation-events.js';
import { metricsRegistry } from '../../src/observability/metrics.js';
import { captureLogs } from '../support/captured-logs.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';

test('each trust-chain resolution event counts by outcome code and duration, and still reaches its sink', async () => {
  const seen: object[] = [];
  const sink = federationEvents((event) => seen.push(event));
  const before = parsePrometheusText(await metricsRegistry.metrics());
  const refused = { event: 'federation_trust_chain_resolution', subject: 'https://rp.example.it/', trust_anchor: null, duration_ms: 1200, outcome: 'statement_bad_signature' };
  sink(refused);
  sink({ event: 'federation_client_refused', client_id: 'https://rp.example.it/', code: 'statement_bad_signature' });
  const after = parsePrometheusText(await metricsRegistry.metrics());
  const moved = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
  expect(moved('cie_federation_resolutions_total', { outcome: 'statement_bad_signature' })).toBe(1);
  expect(moved('cie_federation_resolution_duration_seconds_count', { outcome: 'statement_bad_signature' })).toBe(1);
  expect(moved('cie_federation_resolution_duration_seconds_sum', { outcome: 'statement_bad_signature' })).toBeCloseTo(1.2);
  expect(seen).toHaveLength(2);
});

test('without a sink of its own, refusals are warnings and resolutions information', () => {
  const logs = captureLogs();
  try {
    const sink = federationEvents();
    sink({ event: 'federation_trust_chain_resolution', subject: 'https://rp.example.it/', duration_ms: 5, outcome: 'ok' });
    sink({ event: 'federation_client_refused', client_id: 'https://rp.example.it/', code: 'trust_mark_missing' });
  } finally {
    logs.restore();
  }
  expect(logs.lines.map((line) => [line.level, line.component, line.event])).toEqual([
    ['info', 'federation', 'federation_trust_chain_resolution'],
    ['warn', 'federation', 'federation_client_refused'],
  ]);
});
