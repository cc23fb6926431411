// The bench modules of a checkout (this tree's or an earlier commit's build), loaded by path, so that two
// builds' providers can be measured in one run (login-versus.ts, login-instructions.ts). Only what every
// build since session 6 exports is named here.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchStack {
  provider: { cpuSeconds(): number };
  close(): Promise<void>;
}
export interface StackModule {
  startLoginBenchStack(cardCount: number, nodeArgs?: string[], providerEnv?: Record<string, string>, options?: { withoutRegistry?: boolean }): Promise<BenchStack>;
}
export interface DriverModule {
  prepareLogin(stack: BenchStack, scope: string): Promise<unknown>;
  runLogin(stack: BenchStack, login: unknown, options: { offlineAccess: boolean }): Promise<unknown>;
}
export interface LoadModule {
  closedLoop<I, T>(items: readonly I[], concurrency: number, work: (item: I) => Promise<T>): Promise<{ failures: number; firstFailure?: unknown; results: T[] }>;
}

/** A module of `tree`'s dist/scripts/bench. */
export async function benchModule<T>(tree: string, file: string): Promise<T> {
  return (await import(pathToFileURL(join(tree, 'dist', 'scripts', 'bench', file)).href)) as T;
}

/** The stack, driver and load loop of `tree`. */
export async function treeBench(tree: string) {
  return {
    stacks: await benchModule<StackModule>(tree, 'login-stack.js'),
    driver: await benchModule<DriverModule>(tree, 'login-driver.js'),
    load: await benchModule<LoadModule>(tree, 'login-load.js'),
  };
}
