import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientAssertion } from './login-client-auth.js';
import { closedLoop, percentile } from './login-load.js';
import { LOGIN_LEGS, prepareLogin, runLogin } from './login-driver.js';
import { startLoginBenchStack, type LoginBenchStack } from './login-stack.js';
import { clientAssertions, refreshGrant, RefreshTokenChains } from './refresh-grant.js';
import { keyFamilies, probeResources, type ResourceProbe } from './soak-probes.js';

export interface SoakOptions {
  /** Length of the steady run (10 by default). */
  minutes: number;
  /** Logins and refreshes together, as a fraction of the provider's capacity: each gets half. */
  load: number;
}

const SAMPLE_SECONDS = 10;
/** At the soak's rates before the first sample: the switch from the saturation runs settles. */
const WARM_UP_SECONDS = 30;
/** Login clients at saturation, and cards (one login per card at a time). */
const LOGIN_CLIENTS = 16;
/** Offline grants whose chains the refreshes rotate (as in issue 21's soak). */
const GRANTS = 32;

interface Window {
  logins: number[];
  loginFailures: number;
  refreshes: number[];
  refreshFailures: number;
  firstFailure?: string;
}

interface Sample extends ResourceProbe {
  atSeconds: number;
  logins: number;
  loginFailures: number;
  loginP50: number;
  loginP99: number;
  refreshes: number;
  refreshFailures: number;
  refreshP50: number;
  refreshP99: number;
  /** Arrivals not yet finished (queued behind busy chains or cards, or in flight). */
  backlog: number;
}

const newWindow = (): Window => ({ logins: [], loginFailures: 0, refreshes: [], refreshFailures: 0 });
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Starts `run` `perSecond` times a second until `until` (ms, performance clock); resolves when all have ended. */
async function arrivals(perSecond: number, until: number, run: () => Promise<void>): Promise<void> {
  const began = performance.now();
  const running = new Set<Promise<void>>();
  for (let index = 0; ; index += 1) {
    const due = began + (index * 1000) / perSecond;
    if (due >= until) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const task = run().finally(() => running.delete(task));
    running.add(task);
  }
  await Promise.all(running);
}

async function saturation(stack: LoginBenchStack, chains: RefreshTokenChains): Promise<{ logins: number; refreshes: number }> {
  const prepared = [];
  for (let i = 0; i < 150; i += 1) prepared.push(await prepareLogin(stack, 'openid profile email'));
  await closedLoop(prepared.slice(0, 30), 4, (login) => runLogin(stack, login, { offlineAccess: false }));
  const logins = await closedLoop(prepared.slice(30), LOGIN_CLIENTS, (login) => runLogin(stack, login, { offlineAccess: false }));
  const client = { clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing };
  const tokenUrl = new URL('/token', stack.issuer);
  await closedLoop(await clientAssertions(client, 200), GRANTS, (assertion) => refreshGrant(tokenUrl, stack.rp.clientId, chains, assertion));
  const refreshes = await closedLoop(await clientAssertions(client, 1500), GRANTS, (assertion) => refreshGrant(tokenUrl, stack.rp.clientId, chains, assertion));
  if (logins.failures + refreshes.failures > 0) throw new Error(`saturation: ${logins.failures} login and ${refreshes.failures} refresh failures (${logins.firstFailure ?? refreshes.firstFailure})`);
  return { logins: logins.perSecond, refreshes: refreshes.perSecond };
}

function average(samples: Sample[], pick: (sample: Sample) => number): number {
  return samples.reduce((sum, sample) => sum + pick(sample), 0) / samples.length;
}

/**
 * Issue 21's soak: one provider process and a real redis-server under logins and refreshes at a
 * stated share of their measured saturation for `minutes`, sampled every 10 s (completed and failed,
 * p50/p99, provider RSS and heap after GC, open descriptors, Redis memory and keys); prints the drift
 * between the first and the last minute and the growth per 1,000 operations. Load generation (request
 * objects, card signatures, client assertions) runs in this process, on the same machine.
 */
export async function runSoak(options: SoakOptions, log: (line: string) => void): Promise<void> {
  const heapDir = await mkdtemp(join(tmpdir(), 'soak-'));
  const heapFile = join(heapDir, 'heap.json');
  const probe = fileURLToPath(new URL('./soak-heap-probe.js', import.meta.url));
  const stack = await startLoginBenchStack(LOGIN_CLIENTS, ['--expose-gc', '--import', probe], { SOAK_HEAP_FILE: heapFile });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < GRANTS; i += 1) {
      const { refreshToken } = await runLogin(stack, await prepareLogin(stack, 'openid offline_access'), { offlineAccess: true });
      tokens.push(refreshToken!);
    }
    const chains = new RefreshTokenChains(tokens);
    const saturated = await saturation(stack, chains);
    const share = options.load / 2;
    const rates = { logins: saturated.logins * share, refreshes: saturated.refreshes * share };
    log(`saturation, each alone: ${saturated.logins.toFixed(1)} logins/s (${LOGIN_CLIENTS} clients), ${saturated.refreshes.toFixed(0)} refreshes/s (${GRANTS} grants); soak: both at once, each at ${(100 * share).toFixed(0)} % of its saturation: ${rates.logins.toFixed(1)} logins/s + ${rates.refreshes.toFixed(0)} refreshes/s for ${options.minutes} min after ${WARM_UP_SECONDS} s of warm-up, sampled every ${SAMPLE_SECONDS} s`);
    log('   t s  logins ok/fail  p50/p99 ms     refreshes ok/fail  p50/p99 ms   backlog  RSS MiB  heap MiB  fds  Redis MiB    keys  CPU% prov/redis');

    const client = { clientId: stack.rp.clientId, issuer: stack.issuer, signing: stack.rp.keys.signing };
    const tokenUrl = new URL('/token', stack.issuer);
    let window = newWindow();
    let started = 0;
    let finished = 0;
    const login = async () => {
      started += 1;
      try {
        const outcome = await runLogin(stack, await prepareLogin(stack, 'openid profile email'), { offlineAccess: false });
        window.logins.push(LOGIN_LEGS.reduce((sum, leg) => sum + outcome.legsMs[leg], 0));
      } catch (error) {
        // Counted when it ends, in that sample (as the successes are).
        window.loginFailures += 1;
        window.firstFailure ??= (error as Error).message;
      } finally {
        finished += 1;
      }
    };
    const refresh = async () => {
      started += 1;
      try {
        window.refreshes.push(await refreshGrant(tokenUrl, stack.rp.clientId, chains, await clientAssertion(client)));
      } catch (error) {
        window.refreshFailures += 1;
        window.firstFailure ??= (error as Error).message;
      } finally {
        finished += 1;
      }
    };

    const samples: Sample[] = [];
    let previous: ResourceProbe;
    const warmUpBegan = performance.now();
    const began = warmUpBegan + WARM_UP_SECONDS * 1000;
    const until = began + options.minutes * 60_000;
    const sampler = (async () => {
      await new Promise((resolve) => setTimeout(resolve, began - performance.now()));
      window = newWindow();
      previous = await probeResources(stack.provider, stack.redisServer, stack.redis, heapFile);
      for (let next = began + SAMPLE_SECONDS * 1000; next <= until + 1; next += SAMPLE_SECONDS * 1000) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(next - performance.now(), 0)));
        const closed = window;
        window = newWindow();
        const resources = await probeResources(stack.provider, stack.redisServer, stack.redis, heapFile);
        const sample: Sample = {
          ...resources,
          atSeconds: Math.round((next - began) / 1000),
          logins: closed.logins.length,
          loginFailures: closed.loginFailures,
          loginP50: percentile(closed.logins, 0.5),
          loginP99: percentile(closed.logins, 0.99),
          refreshes: closed.refreshes.length,
          refreshFailures: closed.refreshFailures,
          refreshP50: percentile(closed.refreshes, 0.5),
          refreshP99: percentile(closed.refreshes, 0.99),
          backlog: started - finished,
        };
        samples.push(sample);
        const cpu = (seconds: number, before: number) => ((100 * (seconds - before)) / SAMPLE_SECONDS).toFixed(0);
        log([
          String(sample.atSeconds).padStart(6),
          `${sample.logins}/${sample.loginFailures}`.padStart(15),
          `${sample.loginP50.toFixed(0)}/${sample.loginP99.toFixed(0)}`.padStart(11),
          `${sample.refreshes}/${sample.refreshFailures}`.padStart(20),
          `${sample.refreshP50.toFixed(1)}/${sample.refreshP99.toFixed(0)}`.padStart(11),
          String(sample.backlog).padStart(9),
          mib(sample.rssBytes).padStart(8),
          mib(sample.heapAfterGcBytes).padStart(9),
          String(sample.openDescriptors).padStart(4),
          mib(sample.redisUsedBytes).padStart(10),
          String(sample.redisKeys).padStart(7),
          `${cpu(sample.providerCpuSeconds, previous.providerCpuSeconds)}/${cpu(sample.redisCpuSeconds, previous.redisCpuSeconds)}`.padStart(17),
        ].join(' ') + (closed.firstFailure ? `  first failure: ${closed.firstFailure}` : ''));
        previous = resources;
      }
    })();
    await Promise.all([arrivals(rates.logins, until, login), arrivals(rates.refreshes, until, refresh), sampler]);
    summarize(samples, log);
    const families = await keyFamilies(stack.redis);
    log(`Redis keys at the end by family (ids as *): ${families.slice(0, 14).map((f) => `${f.family} ${f.keys}${f.withoutTtl ? ` (${f.withoutTtl} without TTL)` : ''}`).join(', ')}`);
    const withoutTtl = families.filter((f) => f.withoutTtl > 0);
    log(`keys without TTL: ${withoutTtl.length === 0 ? 'none' : withoutTtl.map((f) => `${f.family} ${f.withoutTtl}`).join(', ')}`);
  } finally {
    await stack.close();
    await rm(heapDir, { recursive: true, force: true });
  }
}

function summarize(samples: Sample[], log: (line: string) => void): void {
  const perMinute = 60 / SAMPLE_SECONDS;
  const first = samples.slice(0, perMinute);
  const last = samples.slice(-perMinute);
  const total = (pick: (s: Sample) => number) => samples.reduce((sum, s) => sum + pick(s), 0);
  const logins = total((s) => s.logins);
  const refreshes = total((s) => s.refreshes);
  const failures = total((s) => s.loginFailures + s.refreshFailures);
  log(`completed: ${logins} logins, ${refreshes} refreshes; failed: ${failures}; backlog at the end of the arrivals: ${samples.at(-1)?.backlog ?? 0}`);
  const row = (what: string, pick: (s: Sample) => number, unit: (value: number) => string) => {
    const a = average(first, pick);
    const b = average(last, pick);
    return `${what}: ${unit(a)} → ${unit(b)} (${b >= a ? '+' : ''}${(a === 0 ? 0 : (100 * (b - a)) / a).toFixed(1)} %)`;
  };
  const rate = (value: number) => `${(value / SAMPLE_SECONDS).toFixed(1)}/s`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  log(`drift, first vs last minute (averages of the 10 s samples): ${[
    row('logins', (s) => s.logins, rate),
    row('refreshes', (s) => s.refreshes, rate),
    row('login p50', (s) => s.loginP50, ms),
    row('login p99', (s) => s.loginP99, ms),
    row('refresh p50', (s) => s.refreshP50, ms),
    row('refresh p99', (s) => s.refreshP99, ms),
    row('provider RSS', (s) => s.rssBytes, (v) => `${mib(v)} MiB`),
    row('heap after GC', (s) => s.heapAfterGcBytes, (v) => `${mib(v)} MiB`),
    row('open descriptors', (s) => s.openDescriptors, (v) => v.toFixed(0)),
    row('Redis memory', (s) => s.redisUsedBytes, (v) => `${mib(v)} MiB`),
    row('Redis keys', (s) => s.redisKeys, (v) => v.toFixed(0)),
  ].join('; ')}`);
  // Between the middles of the first and the last minute.
  const between = samples.slice(Math.floor(perMinute / 2), samples.length - Math.ceil(perMinute / 2));
  const operations = between.reduce((sum, s) => sum + s.logins + s.refreshes, 0);
  const loginsBetween = between.reduce((sum, s) => sum + s.logins, 0);
  const growth = (pick: (s: Sample) => number) => ((average(last, pick) - average(first, pick)) * 1000) / Math.max(operations, 1);
  log(`growth per 1,000 operations (${operations} logins and refreshes between the first and the last minute, ${loginsBetween} of them logins): provider RSS ${(growth((s) => s.rssBytes) / 2 ** 10).toFixed(1)} KiB, heap after GC ${(growth((s) => s.heapAfterGcBytes) / 2 ** 10).toFixed(1)} KiB, descriptors ${growth((s) => s.openDescriptors).toFixed(2)}, Redis memory ${(growth((s) => s.redisUsedBytes) / 2 ** 10).toFixed(1)} KiB, Redis keys ${growth((s) => s.redisKeys).toFixed(1)}; per 1,000 logins alone: Redis memory ${(((average(last, (s) => s.redisUsedBytes) - average(first, (s) => s.redisUsedBytes)) * 1000) / Math.max(loginsBetween, 1) / 2 ** 20).toFixed(2)} MiB, keys ${(((average(last, (s) => s.redisKeys) - average(first, (s) => s.redisKeys)) * 1000) / Math.max(loginsBetween, 1)).toFixed(0)}`);
}
