import { percentile } from './login-load.js';
import { prepareLogin, runLogin } from './login-driver.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';
import { clientAssertions, exchangeRefreshToken } from './refresh-grant.js';
import { clientAssertion } from './login-client-auth.js';
import { countersBetween, redisCounters } from './redis-counters.js';
import { grantFootprint, grantIdOf } from './grant-footprint.js';

/** Earlier refreshes of the grant when its measured refreshes begin (issue 21: 1, 100 and 3,000). */
const HISTORIES = [1, 100, 3_000] as const;
/** Grants per history, refreshed side by side (each grant's chain one request at a time). */
const GRANTS = 8;
/** Refreshes per grant in one measured batch. */
const PER_GRANT = 8;
/** Rounds; each measures one batch per history, the histories in turn. */
const ROUNDS = 5;

interface Totals {
  refreshes: number;
  providerCpuSeconds: number;
  redisCpuSeconds: number;
  commands: number;
  commandMicros: number;
  reads: number;
  latenciesMs: number[];
}

/** A grant's current refresh token, advanced one refresh at a time. */
class GrantChain {
  constructor(public token: string) {}
}

async function offlineGrant(stack: LoginBenchStack): Promise<GrantChain> {
  const { refreshToken } = await runLogin(stack, await prepareLogin(stack, 'openid offline_access'), { offlineAccess: true });
  if (!refreshToken) throw new Error('no refresh token: offline_access was not granted');
  return new GrantChain(refreshToken);
}

/** One refresh-token grant on the chain (private_key_jwt); resolves with its latency in ms. */
async function refreshOnce(stack: LoginBenchStack, chain: GrantChain, assertion: string): Promise<number> {
  const { latency, refreshToken } = await exchangeRefreshToken(new URL('/token', stack.issuer), stack.rp.clientId, chain.token, assertion);
  if (!refreshToken) throw new Error('refresh: no rotated refresh token');
  chain.token = refreshToken;
  return latency;
}

/** Each grant refreshed `count` times in sequence, the grants side by side; assertions made as they go (not measured). */
async function advance(stack: LoginBenchStack, chains: GrantChain[], count: number): Promise<void> {
  const client = { clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing };
  await Promise.all(chains.map(async (chain) => {
    for (let i = 0; i < count; i += 1) await refreshOnce(stack, chain, await clientAssertion(client));
  }));
}

async function grantsWithHistory(stack: LoginBenchStack, history: number): Promise<GrantChain[]> {
  const chains: GrantChain[] = [];
  for (let i = 0; i < GRANTS; i += 1) chains.push(await offlineGrant(stack));
  await advance(stack, chains, history);
  return chains;
}

/** One measured batch: PER_GRANT refreshes of each grant, the grants side by side. */
async function measureBatch(stack: LoginBenchStack, chains: GrantChain[], into: Totals): Promise<void> {
  const assertions = await clientAssertions({ clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing }, chains.length * PER_GRANT);
  const before = { provider: stack.provider.cpuSeconds(), redis: stack.redisServer.cpuSeconds(), counters: await redisCounters(stack.redis) };
  const latencies = await Promise.all(chains.map(async (chain, index) => {
    const own: number[] = [];
    for (let i = 0; i < PER_GRANT; i += 1) own.push(await refreshOnce(stack, chain, assertions[index * PER_GRANT + i]!));
    return own;
  }));
  const counters = countersBetween(before.counters, await redisCounters(stack.redis));
  into.refreshes += chains.length * PER_GRANT;
  into.providerCpuSeconds += stack.provider.cpuSeconds() - before.provider;
  into.redisCpuSeconds += stack.redisServer.cpuSeconds() - before.redis;
  into.commands += counters.commands;
  into.commandMicros += counters.commandMicros;
  into.reads += counters.reads;
  into.latenciesMs.push(...latencies.flat());
}

/**
 * Issue 21: the cost of one refresh by the number of earlier refreshes of its grant. GRANTS grants
 * per history are brought to 1, 100 and 3,000 earlier refreshes; then ROUNDS rounds each measure a
 * batch per history in turn (so a drift of the shared machine touches every history alike). The
 * 1-refresh grants are fresh each round, so their history stays 1–PER_GRANT.
 */
export async function runRefreshHistoryBenchmark(options: { providerNodeArgs?: string[] } = {}): Promise<string> {
  const stack = await startLoginBenchStack(1, options.providerNodeArgs);
  try {
    const began = performance.now();
    const prepared = new Map<number, GrantChain[]>();
    for (const history of HISTORIES) if (history > 1) prepared.set(history, await grantsWithHistory(stack, history));
    const preparationSeconds = (performance.now() - began) / 1000;
    const totals = new Map<number, Totals>(HISTORIES.map((history) => [history, { refreshes: 0, providerCpuSeconds: 0, redisCpuSeconds: 0, commands: 0, commandMicros: 0, reads: 0, latenciesMs: [] }]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const history of HISTORIES) {
        const chains = history === 1 ? await grantsWithHistory(stack, 1) : prepared.get(history)!;
        if (history === 1) prepared.set(1, chains);
        await measureBatch(stack, chains, totals.get(history)!);
      }
    }
    const kept = await Promise.all(HISTORIES.map(async (history) => grantFootprint(stack.redis, await grantIdOf(stack.redis, prepared.get(history)![0]!.token))));
    const rows = HISTORIES.map((history) => {
      const t = totals.get(history)!;
      const last = history === 1 ? PER_GRANT : history + ROUNDS * PER_GRANT - 1;
      return [
        `${history}–${last}`.padEnd(11),
        String(t.refreshes).padStart(9),
        ((1000 * t.providerCpuSeconds) / t.refreshes).toFixed(2).padStart(12),
        (t.commands / t.refreshes).toFixed(2).padStart(15),
        (t.reads / t.refreshes).toFixed(2).padStart(13),
        (t.commandMicros / t.refreshes).toFixed(0).padStart(16),
        ((1000 * t.redisCpuSeconds) / t.refreshes).toFixed(2).padStart(14),
        percentile(t.latenciesMs, 0.5).toFixed(1).padStart(7),
      ].join('  ');
    });
    return [
      `Refresh cost by the grant's history: ${GRANTS} grants per history, ${ROUNDS} rounds alternating the histories, each round ${PER_GRANT} refreshes per grant (${GRANTS} side by side); one provider process, Redis (histories prepared in ${preparationSeconds.toFixed(0)} s)`,
      'earlier     refreshes  provider CPU  Redis commands  Redis reads  Redis command µs  Redis CPU (ms)  p50 ms',
      'refreshes               ms/refresh     per refresh   per refresh      per refresh     per refresh',
      ...rows,
      `Redis kept for one grant afterwards (MEMORY USAGE of its keys), by history: ${HISTORIES.map((history, index) => `${history}: ${kept[index]!.keys.length} keys, ${kept[index]!.bytes} bytes`).join('; ')}`,
      `   its keys after ${HISTORIES.at(-1)} (ids as *), bytes each: ${kept.at(-1)!.keys.slice(0, 12).map(({ key, bytes }) => `${key.replace(/[0-9a-f-]{36}|[\w-]{21,}/g, '*')} ${bytes}`).join(', ')}${kept.at(-1)!.keys.length > 12 ? `, … ${kept.at(-1)!.keys.length - 12} more` : ''}`,
    ].join('\n');
  } finally {
    await stack.close();
  }
}
