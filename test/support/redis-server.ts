import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Redis } from 'ioredis';

export interface RedisHandle {
  url: string;
  /** Prefix unique to this handle; tests put their keys under it so a shared REDIS_URL stays clean. */
  keyPrefix: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

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

/** Uses REDIS_URL if set (stop = delete this handle's keys), otherwise spawns a private redis-server. */
export async function startRedis(): Promise<RedisHandle> {
  const url = process.env.REDIS_URL;
  if (!url) return spawnRedis();
  const keyPrefix = uniquePrefix();
  const unsupported = async () => {
    throw new Error('kill/restart need a spawned redis-server: use spawnRedis() in this test');
  };
  return { url, keyPrefix, stop: () => deleteKeys(url, keyPrefix), kill: unsupported, restart: unsupported };
}

/** Always spawns `redis-server` on 127.0.0.1 and a free port; for tests that kill and restart it. */
export async function spawnRedis(tls?: RedisServerTls): Promise<RedisHandle> {
  const port = await freePort();
  let child = await launch(port, [], tls);
  const stopChild = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
  };
  return {
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    keyPrefix: uniquePrefix(),
    stop: () => stopChild('SIGTERM'),
    kill: () => stopChild('SIGKILL'),
    restart: async () => {
      await stopChild('SIGKILL');
      child = await launch(port, [], tls);
    },
  };
}

export interface RedisTopology {
  url: string;
  keyPrefix: string;
  stop(): Promise<void>;
}

/** A three-master Redis Cluster on loopback ports (no replicas). */
export async function spawnRedisCluster(tls?: RedisServerTls): Promise<RedisTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => terminate(node)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      nodes.push(await launch(port, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir], tls));
    }
    const cliTls = tls ? ['--tls', '--cacert', tls.caFile, '--cert', tls.certFile, '--key', tls.keyFile] : [];
    await run('redis-cli', [...cliTls, '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(async () => (await Promise.all(ports.map((port) => reply(port, 'CLUSTER INFO', tls)))).every((info) => info.includes('cluster_state:ok')));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${tls ? 'rediss' : 'redis'}-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, keyPrefix: uniquePrefix(), stop };
}

/** A Redis master watched by one Sentinel under the master name `mymaster`. */
export async function spawnRedisSentinel(tls?: RedisServerTls): Promise<RedisTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
  const masterPort = await freePort();
  const sentinelPort = await freePort();
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((child) => terminate(child)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    processes.push(await launch(masterPort, [], tls));
    const config = join(dir, 'sentinel.conf');
    // Sentinel rewrites its config file, so it must be a writable file of its own.
    await writeFile(config, `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1\n`);
    const sentinel = spawn('redis-server', [config, '--sentinel', ...listenArgs(sentinelPort, tls), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    processes.push(sentinel);
    await waitFor(async () => (await reply(sentinelPort, 'SENTINEL get-master-addr-by-name mymaster', tls)).includes(String(masterPort)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${tls ? 'rediss' : 'redis'}-sentinel://127.0.0.1:${sentinelPort}/mymaster`, keyPrefix: uniquePrefix(), stop };
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

/** Sends one inline command and returns the raw reply text ('' if the server does not answer). */
function reply(port: number, command: string, tls?: RedisServerTls): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls
      ? connectTls({ host: '127.0.0.1', port, ...readPems(tls) })
      : createConnection({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (data) => {
      text += data.toString();
      if (text.endsWith('\r\n')) socket.destroy();
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
  const child = spawn('redis-server', args, { stdio: 'ignore' });
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

async function answersPing(port: number, tls: RedisServerTls | undefined): Promise<boolean> {
  return (await reply(port, 'PING', tls)).startsWith('+PONG');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

async function deleteKeys(url: string, keyPrefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    for await (const keys of client.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
      if ((keys as string[]).length) await client.del(...(keys as string[]));
    }
  } finally {
    client.disconnect();
  }
}
