// The provider as server.ts starts it, without the access registry: the bench's measure of the
// registry's own share of a login (scripts/bench/full-login.ts, "without the registry"). Only for
// the bench: a deployed provider always records (docs/registry.md), so no setting turns it off.
import { createServer } from 'node:http';
import { loadProviderConfig } from '../../src/config/config.js';
import { collectProcessMetrics } from '../../src/observability/metrics.js';
import { startMetricsServer } from '../../src/observability/metrics-server.js';
import { createProviderApp } from '../../src/provider-app.js';
import { closeProviderDatabase } from '../../src/registry-wiring.js';
import { drainServer } from '../../src/server.js';
import { outlastClientKeepAlive } from '../../src/shared/http-server.js';
import { configureLogging } from '../../src/shared/logger.js';
import { createStorage } from '../../src/storage/create-storage.js';

const config = loadProviderConfig();
configureLogging({ service: 'provider', level: config.observability.logLevel });
const storage = await createStorage(config);
// Everything else as deployed: the logs, the metrics, the credentials database opened at start.
const { provider, close } = await createProviderApp({ config, storage, credentials: { openAtStart: true } });
const server = createServer(provider.callback());
outlastClientKeepAlive(server);
server.listen(config.port, config.host);
if (config.observability.metrics) collectProcessMetrics();
const metrics = config.observability.metrics ? await startMetricsServer(config.observability.metrics).catch(() => undefined) : undefined;
process.on('SIGTERM', () => {
  close();
  void drainServer(server, async () => {
    await storage.store.close();
    await closeProviderDatabase(config);
    await metrics?.close();
  }).then(() => process.exit(0), () => process.exit(1));
});
