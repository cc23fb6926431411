import { createRedisClient } from '../../src/storage/redis/connection.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { spawnRedisCluster, startRedis } from '../support/redis-server.js';
import { describeRateLimiterContract } from './rate-limiter-contract.js';

// In memory the "two instances" are one store: memory cannot be shared between processes.
describeRateLimiterContract('memory', async () => {
  const stores: MemoryStateStore[] = [];
  return {
    createPair: () => {
      const store = new MemoryStateStore();
      stores.push(store);
      return [store, store];
    },
    close: async () => {
      await Promise.all(stores.map((store) => store.close()));
    },
  };
});

describeRateLimiterContract('redis, two clients', async () => {
  const server = await startRedis();
  const [clientA, clientB] = [await server.connect(), await server.connect()];
  let pairs = 0;
  return {
    createPair: () => {
      const prefix = `${server.keyPrefix}${(pairs += 1)}:`;
      return [new RedisStateStore(clientA, prefix), new RedisStateStore(clientB, prefix)];
    },
    close: async () => {
      await Promise.all([clientA.quit(), clientB.quit()]);
      await server.stop();
    },
  };
});

// A MULTI over keys of two slots would fail with CROSSSLOT here.
describeRateLimiterContract('redis cluster, two clients', async () => {
  const cluster = await spawnRedisCluster();
  const [clientA, clientB] = [await createRedisClient(cluster.url), await createRedisClient(cluster.url)];
  let pairs = 0;
  return {
    createPair: () => {
      const prefix = `${cluster.keyPrefix}${(pairs += 1)}:`;
      return [new RedisStateStore(clientA, prefix), new RedisStateStore(clientB, prefix)];
    },
    close: async () => {
      await Promise.all([clientA.quit(), clientB.quit()]);
      await cluster.stop();
    },
  };
});
