import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { secondsSince } from './metrics.js';

/**
 * The local trust anchor's metrics (`cie-federation serve --metrics-port`), in a registry of their own:
 * the anchor is its own process, or a part of the demo that is not the provider. Labels come from
 * closed sets (endpoint names, statuses, statement kinds, trust-mark statuses), never an entity id.
 */
export const anchorMetricsRegistry = new Registry();

/** The anchor's endpoints (an intermediate's count under the same names); `unknown`: nothing served there. */
export type AnchorEndpoint = 'entity_configuration' | 'fetch' | 'list' | 'resolve' | 'trust_mark_status' | 'logo' | 'unknown';

export const anchorRequests = new Counter({
  name: 'cie_trust_anchor_requests_total',
  help: 'Requests the trust anchor answered, by endpoint (entity_configuration, fetch, list, resolve, trust_mark_status, logo, unknown) and status.',
  labelNames: ['endpoint', 'status'] as const,
  registers: [anchorMetricsRegistry],
});

export const anchorRequestDuration = new Histogram({
  name: 'cie_trust_anchor_request_duration_seconds',
  help: 'Time to answer one trust-anchor request (signing and, for resolve, every fetch), by endpoint.',
  labelNames: ['endpoint'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [anchorMetricsRegistry],
});

export const anchorStatementsSigned = new Counter({
  name: 'cie_trust_anchor_statements_signed_total',
  help: 'Signed answers served, by kind (entity_configuration, subordinate_statement, resolve_response, trust_mark_status_response).',
  labelNames: ['kind'] as const,
  registers: [anchorMetricsRegistry],
});

export const anchorTrustMarkStatus = new Counter({
  name: 'cie_trust_anchor_trust_mark_status_total',
  help: 'Trust-mark status answers, by form (jwt: the final spec; json: the profile\'s legacy form) and outcome (active, revoked, expired, invalid; json: active, inactive).',
  labelNames: ['form', 'outcome'] as const,
  registers: [anchorMetricsRegistry],
});

/** Records one answered request (called when the response has been sent). */
export function recordAnchorRequest(endpoint: AnchorEndpoint, status: number, started: bigint): void {
  anchorRequests.inc({ endpoint, status: String(status) });
  anchorRequestDuration.observe({ endpoint }, secondsSince(started));
}

let processMetrics = false;

/** The anchor process's memory, CPU and event-loop lag (`cie_trust_anchor_process_…`), once, when its metrics are served. */
export function collectAnchorProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: anchorMetricsRegistry, prefix: 'cie_trust_anchor_' });
}
