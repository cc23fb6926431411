import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { loadProviderConfig } from './config/config.js';
import { collectProcessMetrics } from './observability/metrics.js';
import { startMetricsServer, type MetricsServer } from './observability/metrics-server.js';
import { createProviderApp } from './provider-app.js';
import { openProviderRegistry, startRegistryMaintenance } from './registry-wiring.js';
import { outlastClientKeepAlive } from './shared/http-server.js';
import { configureLogging, loggerFor } from './shared/logger.js';
import { createStorage } from './storage/create-storage.js';

const log = loggerFor('server');

const DRAIN_LIMIT_MS = 10_000;

/**
 * Stops accepting connections, lets in-flight requests finish (keep-alive connections are closed
 * as soon as they are idle), then runs `closeStorage`. After `limitMs` the remaining connections are cut.
 */
export async function drainServer(server: Server, closeStorage: () => Promise<void>, limitMs = DRAIN_LIMIT_MS): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const drained = new Promise<'drained'>((resolve) => server.close(() => resolve('drained')));
  // A keep-alive connection turns idle when its last response ends; close it then, not at keepAliveTimeout.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const forced = new Promise<'forced'>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve('forced');
    }, limitMs);
  });
  const outcome = await Promise.race([drained, forced]);
  clearTimeout(timer);
  clearInterval(sweep);
  await closeStorage();
  return outcome;
}

/** Production entry point of the provider: configuration from the environment, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadProviderConfig();
  configureLogging({ service: 'provider', level: config.observability.logLevel });
  const storage = await createStorage(config);
  // The access registry: migrated now, a login finishes only once its record is durable (docs/registry.md).
  const registry = await openProviderRegistry(config);
  const stopMaintenance = startRegistryMaintenance(registry, config);
  let stopping = false;
  const { provider, close: closeApp } = await createProviderApp({ config, storage, registry, draining: () => stopping, credentials: { openAtStart: true } });
  const server = createServer(provider.callback());
  outlastClientKeepAlive(server);
  server.listen(config.port, config.host, () => log.info({ event: 'listening', issuer: config.issuer, host: config.host, port: config.port }, `provider ${config.issuer} listening on ${config.host}:${config.port}`));
  let metrics: MetricsServer | undefined;
  if (config.observability.metrics) {
    collectProcessMetrics();
    // Sign-ins go on without metrics (the scrape target then shows down): logged, not fatal.
    metrics = await startMetricsServer(config.observability.metrics).catch((error: unknown) => {
      log.error({ event: 'metrics_unavailable', error }, `metrics endpoint not started: ${(error as Error).message}`);
      return undefined;
    });
    if (metrics) log.info({ event: 'metrics_listening', url: metrics.url }, `metrics at ${metrics.url}`);
  }

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // /readyz answers 503 from now on; load balancers need a few probes to notice before the listener closes.
    log.info({ event: 'draining', signal }, `${signal}: not ready; draining requests in ${config.shutdownDelaySeconds} s`);
    const drain = () => {
      // The smartphone pages' event streams never end by themselves: ended first, so the drain can finish.
      closeApp();
      return drainServer(server, async () => {
        stopMaintenance();
        await storage.store.close();
        await registry.close();
        await metrics?.close();
      }).then(
        (outcome) => process.exit(outcome === 'drained' ? 0 : 1),
        () => process.exit(1),
      );
    };
    setTimeout(() => void drain(), config.shutdownDelaySeconds * 1000);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// Run only as the entry point (`node dist/src/server.js`), so tests can import drainServer.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((error) => {
    log.error({ event: 'start_failed', error }, `provider failed to start: ${(error as Error).message}`);
    process.exit(1);
  });
}
