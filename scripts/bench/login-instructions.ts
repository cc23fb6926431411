// Instructions per login, counted by valgrind (`--tool=callgrind`): this tree's provider without the registry,
// as deployed, against a baseline checkout's (`node dist/scripts/bench/login-instructions.js <baseline checkout>
// [--warm-up=1500] [--logins=200]`; session 6's 3c3e7e6 for issue 17 item 9). CPU time moves by several per cent
// from one process to the next (docs/benchmarks.md, sessions 11–14); an instruction count does not: the same
// build, inputs and settings give nearly the same count whatever else the machine runs. Each side's provider runs
// under callgrind with counting off while it starts and warms (`--warm-up` logins at 16 clients); then counting
// is on for 20 idle seconds (the timers' cost per second, subtracted from the logins' by their wall time, which
// valgrind stretches) and for `--logins` logins at 4 clients (in batches of 20 prepared just before they run, so
// that no request object or client assertion outlives its limits under valgrind's slowness). Both sides run at
// once, one core each. Every thread counts. The count is split by what ran: OpenSSL, V8's compilers, the
// garbage collector, V8's builtins and runtime, generated code, and the rest. Needs valgrind (Debian's package).
import childProcess, { type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployedNodeOptions } from './deployed-node-options.js';
import { treeBench } from './tree-modules.js';

const [baselineArgument, ...flags] = process.argv.slice(2);
if (!baselineArgument) throw new Error('usage: login-instructions.js <baseline checkout> [--warm-up=1500] [--logins=200]');
const option = (name: string, fallback: number) => Number(flags.find((flag) => flag.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const warmUp = option('warm-up', 1500);
const logins = option('logins', 200);
const IDLE_SECONDS = 20;
const BATCH = 20;
const deployedArgs = deployedNodeOptions().split(/\s+/).filter(Boolean);
const thisTree = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** What ran, by the symbol callgrind names (generated code has none: "???:0x…"). */
const CATEGORIES: [string, RegExp][] = [
  ['OpenSSL', /rsaz_|bn_|BN_|sha256|sha512|SHA\d|aes|AES|OPENSSL|CRYPTO_|EVP_|ossl_|HMAC|gcm|ecp_|x25519/],
  ['V8 compilers (parser, bytecode, TurboFan, Maglev)', /v8::internal::(compiler|maglev|interpreter::Bytecode|Parser|Scanner|ParserBase|PreParser|Compiler|Zone)|turboshaft|RegisterAllocator|LinearScan|InstructionSelector|Assembler/],
  ['garbage collector', /Scavenge|Marking|MarkCompact|Heap::|Sweeper|Evacuat|v8::internal::heap|Remembered|SlotSet|heap::base|cppgc|MemoryChunk|PagedSpace|Worklist|GCTracer|NewSpace|SemiSpace/],
  ['V8 builtins', /Builtins_/],
  ['generated code', /\?\?\?:0x/],
  ['V8 runtime', /v8::internal::/],
];

interface Count {
  name: string;
  perLogin: number;
  byCategory: Map<string, number>;
}

// The provider is started by each build's own login-stack, with `process.execPath`: every build since session 6
// does so, and none takes a wrapper command, so the spawn that starts a provider is redirected to valgrind here.
const plainSpawn = childProcess.spawn;
const underValgrind: { out: string; child?: ChildProcess }[] = [];
childProcess.spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) => {
  const pending = underValgrind.find((entry) => !entry.child);
  if (command !== process.execPath || !pending || !args.some((arg) => /server\.js$|provider-without-registry\.js$/.test(arg))) return plainSpawn(command, args, options);
  pending.child = plainSpawn('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${pending.out}`, command, ...args], options);
  return pending.child;
}) as typeof childProcess.spawn;
syncBuiltinESMExports();

/** Starts a side's provider under callgrind (one at a time: the redirected spawn takes the next waiting entry); `count` then measures it. */
async function start(name: string, tree: string, withoutRegistry: boolean, prefix: string): Promise<{ count: () => Promise<Count> }> {
  const { stacks, driver, load } = await treeBench(tree);
  const out = `${prefix}.%p`;
  const entry: { out: string; child?: ChildProcess } = { out };
  underValgrind.push(entry);
  const stack = await stacks.startLoginBenchStack(16, deployedArgs, {}, { withoutRegistry });
  const pid = String(entry.child?.pid);
  // vgdb finds the process by the HOST its environment names (login-stack sets HOST for the provider).
  const control = (...args: string[]) => childProcess.execFileSync('callgrind_control', [...args, pid], { env: { ...process.env, HOST: '127.0.0.1' }, stdio: 'ignore' });
  const run = async (total: number, clients: number) => {
    let seconds = 0;
    for (let done = 0; done < total; done += BATCH) {
      const prepared = [];
      for (let i = 0; i < Math.min(BATCH, total - done); i += 1) prepared.push(await driver.prepareLogin(stack, 'openid profile email'));
      const started = Date.now();
      const outcome = await load.closedLoop(prepared, clients, (login) => driver.runLogin(stack, login, { offlineAccess: false }));
      if (outcome.failures > 0) throw new Error(`${name}: ${outcome.failures} logins failed: ${String(outcome.firstFailure)}`);
      seconds += (Date.now() - started) / 1000;
    }
    return seconds;
  };
  const count = async (): Promise<Count> => {
    try {
      await run(warmUp, 16);
      control('--instr=on');
      control('--zero');
      await new Promise((wait) => setTimeout(wait, IDLE_SECONDS * 1000));
      control('--dump=idle');
      const idle = dumped(out, pid, 1);
      const seconds = await run(logins, 4);
      control('--dump=logins');
      const measured = dumped(out, pid, 2);
      const idlePerSecond = (cost: number) => (cost / IDLE_SECONDS) * seconds;
      const byCategory = new Map([...measured.byCategory].map(([category, cost]) => [category, (cost - idlePerSecond(idle.byCategory.get(category) ?? 0)) / logins]));
      return { name, perLogin: (measured.total - idlePerSecond(idle.total)) / logins, byCategory };
    } finally {
      await stack.close();
      for (const file of readdirSync(tmpdir()).filter((file) => join(tmpdir(), file).startsWith(`${prefix}.`))) rmSync(join(tmpdir(), file), { force: true });
    }
  };
  return { count };
}

/** The total and the per-category split of callgrind's `part` dump (callgrind_annotate reads the file). */
function dumped(out: string, pid: string, part: number): { total: number; byCategory: Map<string, number> } {
  const text = childProcess.execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', `${out.replace('%p', pid)}.${part}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const byCategory = new Map<string, number>();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!match) continue;
    const cost = Number(match[1]!.replaceAll(',', ''));
    if (match[2]!.startsWith('PROGRAM TOTALS')) {
      total = cost;
      continue;
    }
    const category = CATEGORIES.find(([, pattern]) => pattern.test(match[2]!))?.[0] ?? 'the rest (libc, Node, libuv…)';
    byCategory.set(category, (byCategory.get(category) ?? 0) + cost);
  }
  return { total, byCategory };
}

const stamp = `cie-callgrind-${process.pid}`;
const sides = [
  await start(`this tree, without the registry, as deployed (${deployedArgs.join(' ')})`, thisTree, true, join(tmpdir(), `${stamp}-this`)),
  await start(`baseline (${resolve(baselineArgument)}) with ${deployedArgs.join(' ')}`, resolve(baselineArgument), false, join(tmpdir(), `${stamp}-baseline`)),
];
const [mine, baseline] = (await Promise.all(sides.map((side) => side.count()))) as [Count, Count];
const millions = (value: number) => (value / 1e6).toFixed(2).padStart(8);
console.log(`login-instructions — ${new Date().toISOString()}: instructions per level-3 login (millions; every thread; idle timers subtracted), ${logins} logins at 4 clients after ${warmUp} to warm`);
console.log(`${'what ran'.padEnd(52)} ${'this tree'.padStart(9)} ${'baseline'.padStart(9)}`);
const categories = [...new Set([...mine.byCategory.keys(), ...baseline.byCategory.keys()])].sort((a, b) => (baseline.byCategory.get(b) ?? 0) - (baseline.byCategory.get(a) ?? 0));
for (const category of categories) console.log(`${category.padEnd(52)} ${millions(mine.byCategory.get(category) ?? 0)} ${millions(baseline.byCategory.get(category) ?? 0)}`);
console.log(`${'total'.padEnd(52)} ${millions(mine.perLogin)} ${millions(baseline.perLogin)}`);
console.log(`this tree ÷ baseline: ${(mine.perLogin / baseline.perLogin).toFixed(3)}; ${mine.name} / ${baseline.name}`);
