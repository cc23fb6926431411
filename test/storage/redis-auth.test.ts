import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/shared/free-port.js';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import { createRedisClient, type RedisClient } from '../../src/storage/redis/connection.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable-error.js';
import { RedisStateStore } from '../../src/storage/state/redis-state-store.js';
import {
  connectToNode,
  scanKeys,
  spawnRedis,
  spawnRedisCluster,
  spawnRedisSentinel,
  withCredentials,
  type RedisAuth,
  type RedisHandle,
  type RedisTopology,
} from '../support/redis-server.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';
import { seedEmbeddedDatabase } from '../support/pglite-template.js';
import { eventually } from './eventually.js';

// Characters that must be percent-encoded in a URL: proves the URL forms decode them.
const PASSWORD = 'pa:ss@w/rd%1';
const USER = { name: 'cie-app', password: 'user-s3cret' };

/** A few adapter and state-store operations, including Lua scripts and MULTI. */
async function exercise(client: RedisClient, prefix: string): Promise<void> {
  const adapters = createRedisAdapterFactory(client, { clockToleranceSeconds: 0, keyPrefix: prefix });
  await adapters('Session').upsert('s', { jti: 's', uid: 'u', accountId: 'a' }, 60);
  expect(await adapters('Session').findByUid('u')).toMatchObject({ jti: 's' });
  await adapters('AuthorizationCode').upsert('c', { jti: 'c', grantId: 'g' }, 60);
  await adapters('AuthorizationCode').consume('c');
  await expect(adapters('AuthorizationCode').consume('c')).rejects.toMatchObject({ error: 'invalid_grant' });
  await adapters('AccessToken').revokeByGrantId('g');
  expect(await adapters('AuthorizationCode').find('c')).toBeUndefined();
  const store = new RedisStateStore(client, `${prefix}state:`);
  expect(await store.putIfAbsent('challenge', { v: 1 }, 60)).toBe(true);
  expect(await store.take('challenge')).toEqual({ v: 1 });
  expect(await store.increment('attempts', 60)).toBe(1);
}

/** Connects with `url` and runs `exercise`; the client is closed afterwards. */
async function worksWith(url: string, prefix: string): Promise<void> {
  const client = await createRedisClient(url);
  try {
    await exercise(client, prefix);
  } finally {
    client.disconnect();
  }
}

interface Refusal {
  error: unknown;
  /** What ioredis reported to `onError` while connecting (the provider logs these as `redis: …`). */
  reported: string[];
  elapsedMs: number;
}

// Refusals come in tens of ms; the budget only tells "at once" from "after the timeout", with room for CI load.
const TIMEOUT_MS = 5000;

async function refusalOf(url: string): Promise<Refusal> {
  const reported: string[] = [];
  const started = Date.now();
  const error = await createRedisClient(url, { timeoutMs: TIMEOUT_MS, onError: (caught) => reported.push(caught.message) }).then(
    (client) => {
      client.disconnect();
      throw new Error(`${url} was accepted`);
    },
    (caught: unknown) => caught,
  );
  return { error, reported, elapsedMs: Date.now() - started };
}

/** Refused at connect, at once (not after the timeout), as StorageUnavailableError; ioredis names the reason. */
function expectRefused(refusal: Refusal, reason: RegExp): void {
  expect(refusal.error).toBeInstanceOf(StorageUnavailableError);
  expect(refusal.error).toMatchObject({ code: 'storage_unavailable', message: expect.stringMatching(/^the state storage \(Redis\) is unavailable/) });
  expect(refusal.elapsedMs).toBeLessThan(TIMEOUT_MS);
  expect(refusal.reported).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
}

let prefixes = 0;
const nextPrefix = (base: string) => `${base}auth${(prefixes += 1)}:`;

describe('redis:// with requirepass (password only)', () => {
  let server: RedisHandle;
  beforeAll(async () => {
    server = await spawnRedis(undefined, { password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('redis://:password@host:port runs adapter and store operations', async () => {
    await worksWith(withCredentials(server.url, { password: PASSWORD }), nextPrefix(server.keyPrefix));
  });

  test('redis://:password@host:port/db writes into that database only', async () => {
    const prefix = nextPrefix(server.keyPrefix);
    await worksWith(`${withCredentials(server.url, { password: PASSWORD })}/3`, prefix);
    const [db3, db0] = [await createRedisClient(`${withCredentials(server.url, { password: PASSWORD })}/3`), await server.connect()];
    try {
      expect(await scanKeys(db3, `${prefix}*`)).toContain(`${prefix}Session:s`);
      expect(await scanKeys(db0, `${prefix}*`)).toEqual([]);
    } finally {
      db3.disconnect();
      db0.disconnect();
    }
  });

  test('a wrong password is refused at connect (WRONGPASS), so is no password (NOAUTH), and the rejection says which', async () => {
    const wrong = await refusalOf(withCredentials(server.url, { password: 'wrong' }));
    expectRefused(wrong, /^WRONGPASS/);
    expect(wrong.error).toMatchObject({ message: expect.stringMatching(/unavailable: WRONGPASS/) });
    const none = await refusalOf(server.url);
    expectRefused(none, /^NOAUTH/);
    expect(none.error).toMatchObject({ message: expect.stringMatching(/unavailable: NOAUTH/) });
  });
});

describe('redis:// with an ACL user (default user switched off)', () => {
  let server: RedisHandle;
  beforeAll(async () => {
    server = await spawnRedis(undefined, { user: USER });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('redis://user:password@host:port runs adapter and store operations', async () => {
    await worksWith(withCredentials(server.url, { user: USER.name, password: USER.password }), nextPrefix(server.keyPrefix));
  });

  test('a wrong password, or the right one without the user name, is refused (WRONGPASS)', async () => {
    expectRefused(await refusalOf(withCredentials(server.url, { user: USER.name, password: 'wrong' })), /^WRONGPASS/);
    expectRefused(await refusalOf(withCredentials(server.url, { password: USER.password })), /^WRONGPASS/);
  });
});

describe('redis-sentinel:// with requirepass on master and replica (masterauth), sentinel auth-user/auth-pass', () => {
  const auth: RedisAuth = { password: PASSWORD, user: USER };
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await spawnRedisSentinel(undefined, { auth, replica: true });
  }, 30_000);
  afterAll(async () => {
    await topology?.stop();
  });

  test.each([
    ['redis-sentinel://:password@…/mymaster (default user)', { password: PASSWORD }],
    ['redis-sentinel://user:password@…/mymaster (ACL user)', { user: USER.name, password: USER.password }],
  ])('%s runs adapter and store operations on the master, which the replica receives', async (_label, credentials) => {
    const prefix = nextPrefix(topology.keyPrefix);
    await worksWith(withCredentials(topology.url, credentials), prefix);
    // The replica authenticated to the master with masterauth: the session written above reaches it.
    const replica = await connectToNode(topology.nodes[1]!, undefined, auth);
    try {
      let replicated: string[] = [];
      for (let attempt = 0; attempt < 50 && !replicated.length; attempt += 1) {
        replicated = await scanKeys(replica, `${prefix}Session:*`);
        if (!replicated.length) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(replicated).toEqual([`${prefix}Session:s`]);
    } finally {
      replica.disconnect();
    }
  });

  test('a wrong master password is refused at connect (WRONGPASS)', async () => {
    expectRefused(await refusalOf(withCredentials(topology.url, { password: 'wrong' })), /^WRONGPASS/);
    expectRefused(await refusalOf(withCredentials(topology.url, { user: USER.name, password: 'wrong' })), /^WRONGPASS/);
  });
});

describe('redis-cluster:// with requirepass and an ACL user on every node', () => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await spawnRedisCluster(undefined, { password: PASSWORD, user: USER });
  }, 30_000);
  afterAll(async () => {
    await topology?.stop();
  });

  test.each([
    ['redis-cluster://:password@… (default user)', { password: PASSWORD }],
    ['redis-cluster://user:password@… (ACL user)', { user: USER.name, password: USER.password }],
  ])('%s runs adapter and store operations; one seed node is enough', async (_label, credentials) => {
    await worksWith(withCredentials(topology.url, credentials), nextPrefix(topology.keyPrefix));
    await worksWith(withCredentials(topology.url.split(',')[0]!, credentials), nextPrefix(topology.keyPrefix));
  });

  test('a wrong password is refused at connect', async () => {
    // ioredis reports only "Failed to refresh slots cache." here: the WRONGPASS reply is not passed on.
    expectRefused(await refusalOf(withCredentials(topology.url, { user: USER.name, password: 'wrong' })), /slots cache/);
  });
});

// The provider treats a Redis it cannot use at start as an outage (src/storage/create-storage.ts: "starting anyway"),
// a wrong password included: it listens, is not ready, and its log names WRONGPASS.
describe('the provider (dist/src/server.js) with a wrong Redis password', () => {
  let server: RedisHandle;
  let keysDir: string;
  beforeAll(async () => {
    server = await spawnRedis(undefined, { password: PASSWORD });
    keysDir = await mkdtemp(join(tmpdir(), 'cie-auth-keys-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(keysDir, { recursive: true, force: true });
  });

  test('starts but is never ready (/readyz 503), and its log names WRONGPASS', async () => {
    const serverJs = await ensureBuiltEntryPoint();
    const port = await freePort();
    // Its access registry from the template cluster: no initdb competing with the test for the CPU.
    await seedEmbeddedDatabase(join(keysDir, 'registry'));
    const child = spawn(process.execPath, [serverJs], {
      // No trust files: this provider never sees a card (a fresh checkout has no var/pki/).
      env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1', KEYS_DIR: keysDir, REGISTRY_DIR: join(keysDir, 'registry'), SHUTDOWN_DELAY: '0', CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', REDIS_URL: withCredentials(server.url, { password: 'wrong' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      await eventually(async () => /listening on/.test(output) || child.exitCode !== null);
      expect(output).toMatch(/listening on/);
      expect(output).toMatch(/redis: not reachable at start \(.*WRONGPASS/);
      // Still refused after ioredis has retried (it reconnects about every 2 s).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      expect(output).not.toMatch(/available again/);
    } finally {
      // Readiness is what this test is about: no drain delay, so the shutdown does not eat its time.
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
