import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Cluster } from 'ioredis';
import { createRedisClient, type RedisClient, type RedisClientOptions } from '../../src/storage/redis/connection.js';
import { isTlsRedisUrl } from '../../src/storage/redis/redis-url.js';
import { freePort } from '../../src/shared/free-port.js';
import type { RedisTlsFiles } from '../../src/storage/redis/redis-tls.js';

export interface RedisHandle {
  /** Where the server is, without credentials (see `withCredentials`). */
  url: string;
  /** Prefix unique to this handle; tests put their keys under it so a shared REDIS_URL stays clean. */
  keyPrefix: string;
  /** A client of the project's own `createRedisClient`, with the credentials and TLS files the server needs. */
  connect(options?: Omit<RedisClientOptions, 'tls'>): Promise<RedisClient>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

// Only bounds a hang: a cluster's three nodes agree in about 3 s at load 14 here, more under CI's heavier moments.
const READY_TIMEOUT_MS = 30_000;

/**
 * Authentication a spawned server requires. `password` is the default user's (`requirepass`); `user`
 * adds an ACL user with every permission, and without `password` the default user is switched off, so
 * only that user can log in. Replicas authenticate to their master (`masteruser`/`masterauth`) and the
 * sentinel to the master it watches (`sentinel auth-user`/`auth-pass`) with the same credentials.
 */
export interface RedisAuth {
  password?: string;
  user?: { name: string; password: string };
}

/** `redis…://host…` with `user:password@` (or `:password@`) put in front of the host list. */
export function withCredentials(url: string, credentials: { user?: string; password: string }): string {
  const userinfo = `${encodeURIComponent(credentials.user ?? '')}:${encodeURIComponent(credentials.password)}@`;
  return url.replace(/^([a-z-]+:\/\/)/, `$1${userinfo}`);
}

/** The credentials a client of a server with `auth` logs in with: the ACL user if there is one. */
function clientCredentials(auth: RedisAuth | undefined): { user?: string; password: string } | undefined {
  if (auth?.user) return { user: auth.user.name, password: auth.user.password };
  if (auth?.password) return { password: auth.password };
  return undefined;
}

function connector(url: string, tls: RedisTlsFiles | undefined, auth: RedisAuth | undefined): RedisHandle['connect'] {
  const credentials = clientCredentials(auth);
  const fullUrl = credentials ? withCredentials(url, credentials) : url;
  return (options = {}) => createRedisClient(fullUrl, { ...options, ...(tls ? { tls } : {}) });
}

/** For REDIS_URL: the TLS files the provider itself would use (REDIS_TLS_CA, REDIS_TLS_CERT, REDIS_TLS_KEY). */
function tlsFilesFromEnvironment(url: string): RedisTlsFiles | undefined {
  if (!isTlsRedisUrl(url)) return undefined;
  const { REDIS_TLS_CA: caFile, REDIS_TLS_CERT: certFile, REDIS_TLS_KEY: keyFile } = process.env;
  return { caFile, certFile, keyFile };
}

/**
 * PEM files of a redis-server that listens on TLS only (`--port 0`), requires client certificates
 * (redis-server's default) and uses TLS on its own links too: replication, cluster bus, sentinel → master.
 * The certificate must also be valid as a client certificate: the server presents it on those links.
 */
export interface RedisServerTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * Uses REDIS_URL if set (stop = delete this handle's keys), otherwise spawns a private redis-server.
 * REDIS_URL may be any form of docs/storage.md (single server, Sentinel, Cluster, each with credentials
 * and over TLS); TLS files come from REDIS_TLS_CA / REDIS_TLS_CERT / REDIS_TLS_KEY, as for the provider.
 */
export async function startRedis(): Promise<RedisHandle> {
  const url = process.env.REDIS_URL;
  if (!url) return spawnRedis();
  const keyPrefix = uniquePrefix();
  const unsupported = async () => {
    throw new Error('kill/restart need a spawned redis-server: use spawnRedis() in this test');
  };
  const tls = tlsFilesFromEnvironment(url);
  const connect: RedisHandle['connect'] = (options = {}) => createRedisClient(url, { ...options, ...(tls ? { tls } : {}) });
  return { url, keyPrefix, connect, stop: () => deleteKeys(connect, keyPrefix), kill: unsupported, restart: unsupported };
}

/** Always spawns `redis-server` on 127.0.0.1 and a free port; for tests that kill and restart it. */
export async function spawnRedis(tls?: RedisServerTls, auth?: RedisAuth): Promise<RedisHandle> {
  const port = await freePort();
  const serverArgs = authArgs(auth);
  let child = await launch(port, serverArgs, tls);
  const stopChild = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
  };
  const url = `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
  return {
    url,
    keyPrefix: uniquePrefix(),
    connect: connector(url, tls && serverAsClient(tls), auth),
    stop: () => stopChild('SIGTERM'),
    kill: () => stopChild('SIGKILL'),
    restart: async () => {
      await stopChild('SIGKILL');
      child = await launch(port, serverArgs, tls);
    },
  };
}

export interface RedisTopology {
  /** Where the topology is, without credentials (see `withCredentials`). */
  url: string;
  keyPrefix: string;
  /** `redis[s]://127.0.0.1:<port>` of each data node: the masters, then the replicas. */
  nodes: string[];
  /** A client of the whole topology (`createRedisClient` on `url`), with its credentials and TLS files. */
  connect(options?: Omit<RedisClientOptions, 'tls'>): Promise<RedisClient>;
  stop(): Promise<void>;
}

/** A three-master Redis Cluster on loopback ports (no replicas). */
export async function spawnRedisCluster(tls?: RedisServerTls, auth?: RedisAuth): Promise<RedisTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  // Each node also binds its cluster bus on port + 10000.
  const ports = [await freePort({ alsoFree: 10_000 }), await freePort({ alsoFree: 10_000 }), await freePort({ alsoFree: 10_000 })];
  const nodes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => terminate(node)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      nodes.push(await launch(port, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, ...authArgs(auth)], tls));
    }
    const cliTls = tls ? ['--tls', '--cacert', tls.caFile, '--cert', tls.certFile, '--key', tls.keyFile] : [];
    const credentials = clientCredentials(auth);
    const cliAuth = credentials ? ['--no-auth-warning', ...(credentials.user ? ['--user', credentials.user] : []), '--pass', credentials.password] : [];
    await run('redis-cli', [...cliTls, ...cliAuth, '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(async () => (await Promise.all(ports.map((port) => reply(port, 'CLUSTER INFO', tls, auth)))).every((info) => info.includes('cluster_state:ok')));
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `${tls ? 'rediss' : 'redis'}-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
  const nodeUrls = ports.map((port) => `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`);
  return { url, keyPrefix: uniquePrefix(), nodes: nodeUrls, connect: connector(url, tls && serverAsClient(tls), auth), stop };
}

/**
 * A Redis master watched by one Sentinel under the master name `mymaster`; with `replica`, also one
 * replica of that master. The sentinel itself has no password (docs/storage.md: not supported).
 */
export async function spawnRedisSentinel(tls?: RedisServerTls, options: { auth?: RedisAuth; replica?: boolean } = {}): Promise<RedisTopology> {
  const { auth } = options;
  const dir = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
  const masterPort = await freePort();
  const replicaPort = options.replica ? await freePort() : undefined;
  const sentinelPort = await freePort();
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((child) => terminate(child)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    processes.push(await launch(masterPort, authArgs(auth), tls));
    if (replicaPort) {
      processes.push(await launch(replicaPort, [...authArgs(auth), '--replicaof', '127.0.0.1', String(masterPort)], tls));
      await waitFor(async () => (await reply(replicaPort, 'INFO replication', tls, auth)).includes('master_link_status:up'));
    }
    const config = join(dir, 'sentinel.conf');
    const credentials = clientCredentials(auth);
    const sentinelAuth = [
      ...(credentials?.user ? [`sentinel auth-user mymaster ${credentials.user}`] : []),
      ...(credentials ? [`sentinel auth-pass mymaster ${credentials.password}`] : []),
    ];
    // Sentinel rewrites its config file, so it must be a writable file of its own.
    await writeFile(config, [`sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`, ...sentinelAuth, ''].join('\n'));
    const sentinel = spawn('redis-server', [config, '--sentinel', ...listenArgs(sentinelPort, tls), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    processes.push(sentinel);
    await waitFor(async () => (await reply(sentinelPort, 'SENTINEL get-master-addr-by-name mymaster', tls)).includes(String(masterPort)));
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `${tls ? 'rediss' : 'redis'}-sentinel://127.0.0.1:${sentinelPort}/mymaster`;
  const nodeUrls = [masterPort, ...(replicaPort ? [replicaPort] : [])].map((port) => `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`);
  return { url, keyPrefix: uniquePrefix(), nodes: nodeUrls, connect: connector(url, tls && serverAsClient(tls), auth), stop };
}

/** A client of one data node of a topology (e.g. a replica), with the topology's credentials. */
export function connectToNode(nodeUrl: string, tls: RedisServerTls | undefined, auth: RedisAuth | undefined, options: Omit<RedisClientOptions, 'tls'> = {}): Promise<RedisClient> {
  return connector(nodeUrl, tls && serverAsClient(tls), auth)(options);
}

/** redis-server arguments for `auth` (see RedisAuth). */
function authArgs(auth: RedisAuth | undefined): string[] {
  if (!auth) return [];
  const args: string[] = [];
  if (auth.password) args.push('--requirepass', auth.password);
  if (auth.user) args.push('--user', auth.user.name, 'on', `>${auth.user.password}`, '~*', '&*', '+@all');
  if (auth.user && !auth.password) args.push('--user', 'default', 'off');
  const credentials = clientCredentials(auth)!;
  if (credentials.user) args.push('--masteruser', credentials.user);
  args.push('--masterauth', credentials.password);
  return args;
}

/** The server's certificate doubles as a client certificate (it is one on the servers' own links). */
function serverAsClient(tls: RedisServerTls): RedisTlsFiles {
  return { caFile: tls.caFile, certFile: tls.certFile, keyFile: tls.keyFile };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
}

async function waitFor(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('Redis topology did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** redis-server arguments that make `port` its only listener, plain or TLS. */
function listenArgs(port: number, tls: RedisServerTls | undefined): string[] {
  if (!tls) return ['--port', String(port)];
  const files = ['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile];
  return ['--port', '0', '--tls-port', String(port), ...files, '--tls-replication', 'yes', '--tls-cluster', 'yes'];
}

/**
 * Sends one inline command (after AUTH when `auth` is given) and returns the raw reply text ('' if the
 * server does not answer; the AUTH reply included).
 */
function reply(port: number, command: string, tls?: RedisServerTls, auth?: RedisAuth): Promise<string> {
  const credentials = clientCredentials(auth);
  const login = credentials ? `AUTH ${credentials.user ? `${credentials.user} ` : ''}${credentials.password}\r\n` : '';
  // Without AUTH the first complete line ends the reply; with it, the second reply must have begun too.
  const complete = (text: string) => text.endsWith('\r\n') && (!login || text.startsWith('-') || /^\+OK\r\n./s.test(text));
  return new Promise((resolve) => {
    const socket = tls
      ? connectTls({ host: '127.0.0.1', port, ...readPems(tls) })
      : createConnection({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(`${login}${command}\r\n`));
    socket.on('data', (data) => {
      text += data.toString();
      if (complete(text)) socket.destroy();
    });
    socket.once('error', () => socket.destroy());
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

/** The server's own certificate doubles as the probe's client certificate. */
function readPems(tls: RedisServerTls): { ca: string; cert: string; key: string } {
  return { ca: readFileSync(tls.caFile, 'utf8'), cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8') };
}

function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

async function launch(port: number, extraArgs: string[] = [], tls?: RedisServerTls): Promise<ChildProcess> {
  const args = [...extraArgs, ...listenArgs(port, tls), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  // A replica writes the data set it receives to its working directory (dump.rdb): not the checkout.
  const child = spawn('redis-server', args, { stdio: 'ignore', cwd: tmpdir() });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server is not installed (not on PATH); install it, e.g. `apt-get install redis-server`, or set REDIS_URL')
          : error,
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before answering PING`)));
  });
  failed.catch(() => {});
  await Promise.race([waitForPong(port, tls), failed]);
  child.removeAllListeners('exit');
  return child;
}

async function waitForPong(port: number, tls: RedisServerTls | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port, tls))) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A server that requires a password answers an unauthenticated PING with NOAUTH: it is up all the same. */
async function answersPing(port: number, tls: RedisServerTls | undefined): Promise<boolean> {
  return /^(\+PONG|-NOAUTH)/.test(await reply(port, 'PING', tls));
}

/**
 * Every key matching `pattern` on every master the client reaches (SCAN runs per node: on a Cluster
 * each master holds its own slots; behind Sentinel the client talks to the master).
 */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match: pattern, count: 500 })) found.push(...(keys as string[]));
  }
  return found.sort();
}

/** Deletes this handle's keys one DEL each (keys of one batch may live in different Cluster slots). */
async function deleteKeys(connect: RedisHandle['connect'], keyPrefix: string): Promise<void> {
  const client = await connect();
  try {
    const keys = await scanKeys(client, `${keyPrefix}*`);
    await Promise.all(keys.map((key) => client.del(key)));
  } finally {
    client.disconnect();
  }
}
