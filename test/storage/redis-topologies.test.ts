import { createRedisClient } from '../../src/storage/redis/connection.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import { spawnRedisCluster, spawnRedisSentinel, type RedisTopology } from '../support/redis-server.js';
import { redisAdapterHarness } from './redis-adapter-harness.js';
import { describeAdapterContract } from './adapter-contract.js';
import { describeStateStoreContract } from './state-store-contract.js';

// Every script and MULTI must stay within one hash slot, or a real cluster answers CROSSSLOT.
describeAdapterContract('redis cluster', async () => {
  const cluster = await spawnRedisCluster();
  const client = await createRedisClient(cluster.url);
  return redisAdapterHarness(client, cluster.keyPrefix, async () => {
    await client.quit();
    await cluster.stop();
  });
});

describeStateStoreContract('redis cluster', async () => {
  const cluster = await spawnRedisCluster();
  const client = await createRedisClient(cluster.url);
  let stores = 0;
  return {
    create: () => new RedisStateStore(client, `${cluster.keyPrefix}${(stores += 1)}:`),
    close: async () => {
      await client.quit();
      await cluster.stop();
    },
  };
});

// One Sentinel setup shared by both contracts: spawning it costs about a second.
let sentinel: RedisTopology;
beforeAll(async () => {
  sentinel = await spawnRedisSentinel();
}, 60_000); // above the launcher's own 30 s wait for the sentinel to see its master
afterAll(async () => {
  await sentinel?.stop();
});

describeAdapterContract('redis sentinel', async () => {
  const client = await createRedisClient(sentinel.url);
  return redisAdapterHarness(client, `${sentinel.keyPrefix}adapter`, async () => client.disconnect());
});

describeStateStoreContract('redis sentinel', async () => {
  const client = await createRedisClient(sentinel.url);
  let stores = 0;
  return {
    create: () => new RedisStateStore(client, `${sentinel.keyPrefix}store${(stores += 1)}:`),
    close: async () => client.disconnect(),
  };
});
