import { Redis } from 'ioredis';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { waitUntil } from './support/wait-until.js';

// Redis still answers PING in these states while it refuses writes: /readyz must see that.
let redis: RedisHandle;
let otherRedis: RedisHandle;
let admin: Redis;
let stack: TestStack;

beforeAll(async () => {
  [redis, otherRedis] = await Promise.all([spawnRedis(), spawnRedis()]);
  admin = new Redis(redis.url);
  stack = await startTestStack({ providerEnv: { REDIS_URL: redis.url } });
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  admin?.disconnect();
  await Promise.all([redis?.stop(), otherRedis?.stop()]);
});

const readyz = async () => (await fetch(`${stack.issuer}/readyz`)).status;

test('out of memory (maxmemory reached, noeviction): not ready, and a card challenge answers 503; ready again once memory is there', async () => {
  expect(await readyz()).toBe(200);
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  await admin.config('SET', 'maxmemory-policy', 'noeviction');
  await admin.config('SET', 'maxmemory', '1');
  try {
    expect(await admin.ping()).toBe('PONG');
    expect(await readyz()).toBe(503);
    // "Entra con CIE" stores a challenge (SET … NX): refused with OOM → the outage page, not a 500.
    const page = await flow.clickEntraConCie(loginPage);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.body).toContain('data-code="temporarily_unavailable"');
  } finally {
    await admin.config('SET', 'maxmemory', '0');
  }
  expect(await readyz()).toBe(200);
  expect((await flow.clickEntraConCie(loginPage)).url.startsWith(stack.bridge.url)).toBe(true);
});

test('a replica (read-only, as after a failover): not ready; ready again once it is a master', async () => {
  await admin.replicaof('127.0.0.1', new URL(otherRedis.url).port);
  try {
    await waitUntil(async () => /master_link_status:up/.test(await admin.info('replication')));
    expect(await admin.ping()).toBe('PONG');
    expect(await readyz()).toBe(503);
  } finally {
    await admin.replicaof('NO', 'ONE');
  }
  expect(await readyz()).toBe(200);
});
