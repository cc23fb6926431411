import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type * as client from 'openid-client';
import { discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys, type RelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { freePort } from '../../src/shared/free-port.js';
import { createBenchEnvironment } from './bench-environment.js';
import { CardPool } from './login-card-pool.js';
import { deployedNodeOptions } from './deployed-node-options.js';
import { startChild, type ChildService } from './login-child.js';

export interface LoginBenchStack {
  issuer: string;
  /** The bridge is not running: its URL only has to be well-formed. */
  bridgeUrl: string;
  cards: CardPool;
  rp: { config: client.Configuration; keys: RelyingPartyKeys; clientId: string; redirectUri: string };
  provider: ChildService;
  redisServer: ChildService;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * Redis and one provider process (`dist/src/server.js`, production entry point, Redis storage),
 * with the demo RP registered through CLIENTS_FILE and the bench card's PKI as trust anchors.
 * `cardCount` citizens can log in at the same time; `nodeArgs` go to the provider's node (e.g. `--cpu-prof`),
 * `providerEnv` adds settings (e.g. TOKEN_SIGNING_ALG). `withoutRegistry`: the same provider without the
 * access registry (provider-without-registry.ts), to measure the registry's own share of a login.
 */
export async function startLoginBenchStack(cardCount: number, nodeArgs: string[] = [], providerEnv: Record<string, string> = {}, options: { withoutRegistry?: boolean } = {}): Promise<LoginBenchStack> {
  const environment = await createBenchEnvironment();
  const cards = await CardPool.mint(environment.environment, cardCount);
  const dir = environment.environment.dir;
  const redisPort = await freePort();
  const redisServer = await startChild('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/);
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const rpUrl = 'http://localhost:9';
  const rpKeys = await loadRelyingPartyKeys(join(dir, 'rp-keys.json'));
  const metadata = relyingPartyMetadata(rpUrl, 'Comune di Esempio', rpKeys);
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([metadata]));
  const bridgeUrl = 'http://127.0.0.1:9';
  const entry = options.withoutRegistry ? './provider-without-registry.js' : '../../src/server.js';
  const serverJs = fileURLToPath(new URL(entry, import.meta.url));
  const provider = await startChild(process.execPath, [...nodeArgs, serverJs], {
    ISSUER: issuer,
    PORT: String(port),
    HOST: '127.0.0.1',
    KEYS_DIR: join(dir, 'keys'),
    CLIENTS_FILE: clientsFile,
    BRIDGE_URL: bridgeUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    // The access registry as deployed by default (embedded PGlite), in the bench's own directory.
    REGISTRY_DIR: join(dir, 'registry'),
    CIE_TRUST_ANCHORS: environment.environment.trustAnchorPath,
    CIE_INTERMEDIATES: environment.environment.intermediatePath,
    NODE_ENV: 'production',
    // The V8 settings the image runs the provider with (the Dockerfile's NODE_OPTIONS).
    NODE_OPTIONS: deployedNodeOptions(),
    // Every login comes from 127.0.0.1 (~80 card requests/s): the per-address limit stays on and is
    // counted, at a height the bench never reaches. Each login asks for one challenge and has no
    // failure, far within the per-interaction defaults.
    CARD_REQUESTS_PER_IP: '10000000',
    // Nothing balances load onto this provider: no need to stay up, not ready, before draining.
    SHUTDOWN_DELAY: '0',
    // Its own metrics port: two providers of one bench (or of two benches) would otherwise share 9464.
    METRICS_PORT: String(await freePort()),
    ...providerEnv,
    // Ready when /readyz answers 200, whatever LOG_LEVEL says (at warn there is no "listening" line):
    // the port accepts at once, but the embedded registry takes seconds more to open (initdb).
  }, { port, path: '/readyz' });
  const redis = new Redis(redisPort, '127.0.0.1');
  return {
    issuer,
    bridgeUrl,
    cards,
    rp: { config: await discoverProvider(issuer, metadata, rpKeys), keys: rpKeys, clientId: metadata.client_id, redirectUri: `${rpUrl}/callback` },
    provider,
    redisServer,
    redis,
    close: async () => {
      redis.disconnect();
      await provider.stop();
      await redisServer.stop();
      await environment.close();
    },
  };
}
