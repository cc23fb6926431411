// The login's provider CPU against another build's, in the same rounds: `node dist/scripts/bench/login-versus.js
// <baseline checkout> [--instances=3] [--rounds=12] [--logins=150] [--warm-up=300] [--baseline-as-deployed]`. The
// baseline is a checkout of an earlier commit built with `tsc -p tsconfig.build.json` that has
// dist/scripts/bench/login-stack.js (session 6's 3c3e7e6 for issue 17 item 9: "the login ratio does not regress by
// more than the registry's own share").
// `login-versus.js --instrumentation [options]` instead measures issue 17's other parts in this tree alone: the
// baseline is this tree's provider, also without the registry, with what an operator sets to turn logs and metrics
// off (METRICS_PORT empty: nothing timed; LOG_LEVEL=silent: no line written).
// Each side runs `instances` providers of its own (this tree's without the access registry; the baseline's as it
// ships), each warmed, then `rounds` rounds of `logins` level-3 logins at 16 clients, every provider's phase in an
// order that rotates each round. This tree's providers run with the image's Node options (deployed-node-options.ts),
// the baseline's as its own bench started them; `--baseline-as-deployed` gives the baseline this tree's options
// too, to tell what the code costs apart from the runtime's settings. A process's speed differs from another's of
// the same build by several per cent (its memory layout, what its JIT chose): several instances per side, and the
// median of their medians, say more than one pair (docs/benchmarks.md, session 11).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { deployedNodeOptions } from './deployed-node-options.js';
import { summarize } from './statistics.js';
import { treeBench, type BenchStack } from './tree-modules.js';

const CLIENTS = 16;
const [baselineArgument, ...flags] = process.argv.slice(2);
if (!baselineArgument) throw new Error('usage: login-versus.js <baseline checkout> | --instrumentation [--instances=3] [--rounds=12] [--logins=150] [--warm-up=300] [--baseline-as-deployed]');
const option = (name: string, fallback: number) => Number(flags.find((flag) => flag.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const instances = option('instances', 3);
const rounds = option('rounds', 12);
const logins = option('logins', 150);
const warmUp = option('warm-up', 300);
const deployed = deployedNodeOptions();
const baselineNodeArgs = flags.includes('--baseline-as-deployed') ? deployed.split(/\s+/).filter(Boolean) : [];

const thisTree = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** Logs and metrics off, as an operator turns them off (docs/operations.md). */
const UNINSTRUMENTED = { METRICS_PORT: '', LOG_LEVEL: 'silent' };
const sides = [
  { name: `this tree, without the registry, as deployed (NODE_OPTIONS=${deployed})`, tree: thisTree, withoutRegistry: true, nodeArgs: [], env: {} },
  baselineArgument === '--instrumentation'
    ? { name: 'this tree, without the registry, logs and metrics off (METRICS_PORT empty, LOG_LEVEL=silent)', tree: thisTree, withoutRegistry: true, nodeArgs: [], env: UNINSTRUMENTED }
    : { name: `baseline (${resolve(baselineArgument)})${baselineNodeArgs.length > 0 ? ` with ${baselineNodeArgs.join(' ')}` : ''}`, tree: resolve(baselineArgument), withoutRegistry: false, nodeArgs: baselineNodeArgs, env: {} },
];

interface Provider {
  side: number;
  stack: BenchStack;
  phase(): Promise<number>;
  perRound: number[];
}
const providers: Provider[] = [];
try {
  for (let instance = 0; instance < instances; instance += 1) {
    for (const [index, side] of sides.entries()) {
      const { stacks, driver, load: { closedLoop } } = await treeBench(side.tree);
      const stack = await stacks.startLoginBenchStack(CLIENTS, side.nodeArgs, side.env, { withoutRegistry: side.withoutRegistry });
      const run = async (count: number) => {
        const prepared = [];
        for (let i = 0; i < count; i += 1) prepared.push(await driver.prepareLogin(stack, 'openid profile email'));
        const cpu = stack.provider.cpuSeconds();
        const outcome = await closedLoop(prepared, CLIENTS, (login) => driver.runLogin(stack, login, { offlineAccess: false }));
        if (outcome.failures > 0) throw new Error(`${side.name}: ${outcome.failures} logins failed: ${String(outcome.firstFailure)}`);
        return (1000 * (stack.provider.cpuSeconds() - cpu)) / count;
      };
      providers.push({ side: index, stack, phase: () => run(logins), perRound: [] });
      await run(warmUp);
    }
  }
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < providers.length; k += 1) {
      const provider = providers[(round + k) % providers.length]!;
      provider.perRound.push(await provider.phase());
    }
  }
  console.log(`login-versus — ${new Date().toISOString()}: ${instances} providers a side, ${rounds} rounds of ${logins} level-3 logins at ${CLIENTS} clients after ${warmUp} to warm each; provider CPU per login (user + system, every thread), median of each provider's rounds`);
  const medians = sides.map((side, index) => {
    const own = providers.filter((provider) => provider.side === index).map((provider) => summarize(provider.perRound).median);
    console.log(`${side.name}: ${own.map((ms) => ms.toFixed(2)).join(', ')} ms → median ${summarize(own).median.toFixed(2)} ms`);
    return summarize(own).median;
  });
  console.log(`this tree ÷ baseline: ${(medians[0]! / medians[1]!).toFixed(3)} (${(medians[0]! - medians[1]!).toFixed(2)} ms per login)`);
} finally {
  for (const provider of providers) await provider.stack.close();
}
