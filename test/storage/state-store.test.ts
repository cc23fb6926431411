import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { startRedis } from '../support/redis-server.js';
import { describeStateStoreContract } from './state-store-contract.js';

describeStateStoreContract('memory', async () => ({
  create: () => new MemoryStateStore(),
  close: async () => {},
}));

describeStateStoreContract('redis', async () => {
  const server = await startRedis();
  const client = await server.connect();
  let stores = 0;
  return {
    create: () => new RedisStateStore(client, `${server.keyPrefix}${(stores += 1)}:`),
    close: async () => {
      await client.quit();
      await server.stop();
    },
  };
});
