import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isErrorCode } from '../shared/errors/error-table.js';
import { secondsSince } from './metrics.js';

/**
 * The card bridge's metrics, in a registry of their own: the bridge is another process on the citizen's
 * (or a kiosk's) machine, so its /metrics (BRIDGE_METRICS_PORT, loopback only, off by default) shows these
 * and nothing of the provider. Labels come from closed sets only — operations, the error table's codes,
 * the route table's paths, HTTP statuses — never an origin, a PIN, a serial or a fiscal code.
 */
export const bridgeMetricsRegistry = new Registry();

const CARD_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30];

/** The card sessions the bridge runs: a sign-in's signature, the card pages' counters, PIN change and unblock. */
export type CardOperation = 'sign' | 'read_tries' | 'pin_change' | 'pin_unblock';

export const bridgeCardSessions = new Counter({
  name: 'cie_bridge_card_sessions_total',
  help: 'Card sessions, by operation (sign, read_tries, pin_change, pin_unblock) and outcome (ok, or the error table code: wrong_pin, no_card, card_removed, pin_blocked…).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [bridgeMetricsRegistry],
});

export const bridgeCardDuration = new Histogram({
  name: 'cie_bridge_card_operation_duration_seconds',
  help: 'Time of one card session (connection, secure channel, the operation), by operation and result (ok, error).',
  labelNames: ['operation', 'result'] as const,
  buckets: CARD_SECONDS,
  registers: [bridgeMetricsRegistry],
});

export const bridgeHttpRequests = new Counter({
  name: 'cie_bridge_http_requests_total',
  help: 'Requests the bridge answered, by route (the route table\'s path, assets, or unmatched), method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [bridgeMetricsRegistry],
});

export const bridgeErrorPages = new Counter({
  name: 'cie_bridge_error_pages_total',
  help: 'Pages that only say what went wrong, by the error table code (origin_not_allowed, expired, too_many_open, forbidden_origin, a card failure that ends the sign-in…).',
  labelNames: ['code'] as const,
  registers: [bridgeMetricsRegistry],
});

/** Counts one error page; a code the table does not know is counted as `card_error`, so the label set stays the table's. */
export function countErrorPage(code: string): void {
  bridgeErrorPages.inc({ code: isErrorCode(code) ? code : 'card_error' });
}

/** Tables of open sign-ins (one per bridge app; weakly held, so a stopped bridge does not linger). */
const pendingTables = new Set<WeakRef<{ readonly size: number }>>();

export const bridgePendingSignIns = new Gauge({
  name: 'cie_bridge_pending_sign_ins',
  help: 'Sign-ins opened at the bridge (PIN page shown) and not yet finished or expired; at most 32.',
  registers: [bridgeMetricsRegistry],
  collect() {
    let open = 0;
    for (const table of pendingTables) {
      const live = table.deref();
      if (live) open += live.size;
      else pendingTables.delete(table);
    }
    this.set(open);
  },
});

export function trackPendingSignIns(table: { readonly size: number }): void {
  pendingTables.add(new WeakRef(table));
}

/** The outcome label of a failed card session: a code of the error table, else `card_error` (a card answer the table does not name). */
export function cardOutcome(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && isErrorCode(code)) return code;
  return typeof code === 'string' ? 'card_error' : 'internal_error';
}

/** Runs one card session and records its outcome and time; the result (or the error) is passed on unchanged. */
export async function measuredCardSession<T>(operation: CardOperation, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    const result = await run();
    bridgeCardDuration.observe({ operation, result: 'ok' }, secondsSince(started));
    bridgeCardSessions.inc({ operation, outcome: 'ok' });
    return result;
  } catch (error) {
    bridgeCardDuration.observe({ operation, result: 'error' }, secondsSince(started));
    bridgeCardSessions.inc({ operation, outcome: cardOutcome(error) });
    throw error;
  }
}

let processMetrics = false;

/** Memory, CPU and event-loop lag of the bridge process (`cie_bridge_process_…`), once, when its metrics are served. */
export function collectBridgeProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: bridgeMetricsRegistry, prefix: 'cie_bridge_' });
}
