import type { Registry } from 'prom-client';
import { loggerFor } from '../shared/logger.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

/**
 * The metrics endpoint of a process that runs on one machine for one person or one desk (the card bridge,
 * the local trust anchor): 127.0.0.1 only, no token, loopback Host names only. A port already in use is
 * logged (`metrics_unavailable`) and the process goes on without metrics: they must never stop a sign-in.
 */
export async function startLoopbackMetrics(registry: Registry, port: number, component: string): Promise<MetricsServer | undefined> {
  const log = loggerFor(component);
  try {
    const server = await startMetricsServer({ port, host: '127.0.0.1', token: '', registry, loopbackHostsOnly: true });
    log.info({ event: 'metrics_listening', url: server.url }, 'metrics endpoint listening');
    return server;
  } catch (error) {
    log.error({ event: 'metrics_unavailable', port, code: (error as NodeJS.ErrnoException)?.code ?? 'internal_error' }, 'metrics endpoint not started');
    return undefined;
  }
}
