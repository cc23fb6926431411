import { sampleMax, type LoadRun } from './login-load.js';
import type { LoginBenchStack } from './login-stack.js';

export interface Usage {
  rss: number;
  providerCpuSeconds: number;
  redisCpuSeconds: number;
}

/** Samples provider RSS and measures provider and Redis CPU time during one load phase. */
export async function measured<T>(stack: LoginBenchStack, phase: () => Promise<LoadRun<T>>): Promise<{ run: LoadRun<T>; usage: Usage }> {
  const rss = sampleMax(stack.provider.rssBytes);
  const provider = stack.provider.cpuSeconds();
  const redis = stack.redisServer.cpuSeconds();
  const run = await phase();
  return { run, usage: { rss: rss.stop(), providerCpuSeconds: stack.provider.cpuSeconds() - provider, redisCpuSeconds: stack.redisServer.cpuSeconds() - redis } };
}
