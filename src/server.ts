import { createServer } from 'node:http';
import { loadProviderConfig } from './config/config.js';
import { createProviderApp } from './provider-app.js';
import { createStorage } from './storage.js';

/** Production entry point of the provider: configuration from the environment, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadProviderConfig();
  const storage = await createStorage(config);
  const { provider } = await createProviderApp({ config, storage });
  const server = createServer(provider.callback());
  server.listen(config.port, config.host, () => console.log(`provider ${config.issuer} listening on ${config.host}:${config.port}`));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining requests`);
    // Stop accepting, let in-flight requests finish, then close storage; force after 10 s.
    server.close(() => void storage.store.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(`provider failed to start: ${(error as Error).message}`);
  process.exit(1);
});
