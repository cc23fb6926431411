// `npm run bench`: card path (in-process and PC/SC), assertion verifier, full level-3 login and
// refresh-token grants on Redis, measured in one run.
// Optional arguments pick parts: card, pcsc, verifier, login, refresh, refresh-history, federation, registry, smartphone, levels, and soak (only when named:
// 10 minutes by default, `--soak-minutes=<n>`, load `--soak-load=<fraction of capacity>`, 0.8 by default); `--cpu-profile=<file>` also writes a
// .cpuprofile of one extra, untimed batch of first-time-card verifications; `--provider-cpu-prof-dir=<dir>` runs the
// provider of parts login and refresh under `node --cpu-prof` (summarise the files with bench/profile-summary.js).
import { cpus, loadavg } from 'node:os';
import { createBenchEnvironment } from './bench/bench-environment.js';
import { interleavedLogins } from './bench/card-logins.js';
import { openInProcessPath } from './bench/in-process-path.js';
import { printLoginTable } from './bench/login-table.js';
import { openPcscPath, type PcscPath } from './bench/pcsc-path.js';
import { fixed, printTable, spread } from './bench/table.js';
import { runFederationBenchmark } from './bench/federation.js';
import { runFullLoginBenchmark } from './bench/full-login.js';
import { runRefreshBenchmark } from './bench/refresh.js';
import { runRefreshHistoryBenchmark } from './bench/refresh-history.js';
import { runRegistryBenchmark } from './bench/registry.js';
import { runSmartphoneBenchmark } from './bench/smartphone.js';
import { runSoak } from './bench/soak.js';
import { benchVerifier, type Throughput } from './bench/verifier-bench.js';

const PARTS = ['card', 'pcsc', 'verifier', 'login', 'refresh', 'refresh-history', 'federation', 'registry', 'smartphone', 'levels', 'soak'] as const;
type Part = (typeof PARTS)[number];
const PROFILE_FLAG = '--cpu-profile=';
const PROVIDER_PROFILE_FLAG = '--provider-cpu-prof-dir=';
const SOAK_MINUTES_FLAG = '--soak-minutes=';
const SOAK_LOAD_FLAG = '--soak-load=';
const FLAGS = [PROFILE_FLAG, PROVIDER_PROFILE_FLAG, SOAK_MINUTES_FLAG, SOAK_LOAD_FLAG];
const flag = (prefix: string) => process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length);
const cpuProfilePath = flag(PROFILE_FLAG);
const providerProfileDir = flag(PROVIDER_PROFILE_FLAG);
const providerNodeArgs = providerProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${providerProfileDir}`] : [];
const requested = process.argv.slice(2).filter((argument) => !FLAGS.some((prefix) => argument.startsWith(prefix)));
const unknown = requested.filter((name) => !PARTS.includes(name as Part));
if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
// The soak takes minutes: only when named.
const runs = (part: Part) => (requested.length === 0 && part !== 'soak') || requested.includes(part);

const LOGINS = { logins: 30, warmUp: 3 };
const PCSC_ROUND_TRIPS = 300;
const VERIFIER = { rounds: 5, perRound: 300, firstTimePerRound: 100, concurrency: 8 };
/** From the issue: verifications per second per core with a warm OCSP cache. */
const VERIFIER_TARGET_PER_CORE = 5000;

// Other processes on the machine inflate wall times (not CPU times): the load average says how much.
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`entra-con-cie bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${load()}`);
const environment = await createBenchEnvironment();
try {
  if (runs('card') || runs('pcsc')) {
    const inProcess = openInProcessPath(environment);
    let pcsc: PcscPath | undefined;
    if (runs('pcsc')) {
      try {
        pcsc = await openPcscPath(environment);
      } catch (error) {
        console.log(`\n2. Card path through PC/SC: skipped — ${(error as Error).message}`);
      }
    }
    try {
      const [inProcessLogins, pcscLogins] = await interleavedLogins(pcsc ? [inProcess.sampler, pcsc.sampler] : [inProcess.sampler], LOGINS);
      if (runs('card')) printLoginTable('1. Card path, in-process virtual card (bridge CardAccess → CieCard.authenticate)', [{ name: 'in-process', logins: inProcessLogins! }]);
      if (pcsc && pcscLogins) {
        printLoginTable('2. Card path through PC/SC (pcsclite → pcscd → vpcd in a quick-ACK netns → relay → virtual card); logins alternate with part 1', [
          { name: 'in-process', logins: inProcessLogins! },
          { name: 'PC/SC', logins: pcscLogins },
        ]);
        printTable('2b. PC/SC round trip of one short APDU', ['measure', 'ms'], [
          ['SELECT DF_CIE round trip minus card time, median (p10–p90)', spread(await pcsc.measureRoundTrips(PCSC_ROUND_TRIPS), 3)],
        ]);
      }
    } finally {
      await inProcess.close();
      await pcsc?.close();
    }
  }

  if (runs('verifier')) {
    const result = await benchVerifier(environment, { ...VERIFIER, ...(cpuProfilePath ? { cpuProfilePath } : {}) });
    const verifierPerCpu = result.sequential.perCpuSecond.median;
    const row = (what: string, value: Throughput) => [
      what,
      spread(value.perCpuSecond, 0),
      spread(value.perWallSecond, 0),
      `${fixed(value.perCpuSecond.median / verifierPerCpu, 1)} ×`,
    ];
    printTable('3. Assertion verification, warm OCSP cache, one process (operations per second; median of rounds, p10–p90)', ['what', 'per CPU-second', 'per wall-second', 'vs verifier'], [
      row('createAssertionVerifier, returning card, 1 in flight', result.sequential),
      row(`createAssertionVerifier, returning card, ${result.concurrency} in flight`, result.concurrent),
      row('createAssertionVerifier, first-time card, 1 in flight', result.firstTime),
      row('returning card, OCSP asked each time (cache cap 0; responder in-process)', result.askingResponder),
      row('floor: node:crypto verify, assertion signature only', result.floorAssertionSignature),
      row('floor: node:crypto, assertion + 3 certificate signatures', result.floorAllSignatures),
    ]);
    console.log(`   rounds: ${VERIFIER.rounds} × ${VERIFIER.perRound} (first-time cards: ${VERIFIER.rounds} × ${VERIFIER.firstTimePerRound}); "vs verifier" = per-CPU-second median ÷ that of the returning card, 1 in flight`);
    console.log(`   CPU per verification: returning card ${fixed(1000 / verifierPerCpu, 3)} ms, first-time card ${fixed(1000 / result.firstTime.perCpuSecond.median, 3)} ms; target ≥ ${VERIFIER_TARGET_PER_CORE}/s/core (returning card): ${verifierPerCpu >= VERIFIER_TARGET_PER_CORE ? 'met' : 'NOT met'}`);
    console.log(`   WebCrypto calls per first-time-card verification: ${Object.entries(result.webCryptoCallsPerVerification).map(([name, count]) => `${name} ${count}`).join(', ')}`);
    console.log(`   OCSP requests: ${result.ocspRequests.warmUp} while preparing (one per certificate), ${result.ocspRequests.measured} while measuring, ${result.ocspRequests.askingResponder} by the "asked each time" row`);
  }
} finally {
  await environment.close();
}
// The provider runs in its own process for these two, so the load generator does not share its event loop.
if (runs('login')) console.log(`\n4. Full level-3 login on Redis\n${(await runFullLoginBenchmark({ providerNodeArgs })).text}`);
if (runs('refresh')) {
  // Side by side: the default RS256 token signatures, then ES256 (TOKEN_SIGNING_ALG).
  console.log(`\n5. Refresh-token grants on Redis\n${(await runRefreshBenchmark({ providerNodeArgs })).text}`);
  console.log(`\n${(await runRefreshBenchmark({ providerNodeArgs, tokenSigningAlg: 'ES256' })).text}`);
}
if (runs('refresh-history')) console.log(`\n6. Refresh cost by the number of earlier refreshes of the grant (issue 21)\n${await runRefreshHistoryBenchmark({ providerNodeArgs })}`);
// Issue 14: cold trust-chain resolution and the per-request cost of a cached chain, each beside its floor.
if (runs('federation')) await runFederationBenchmark();
if (runs('registry')) {
  const { header, rows } = await runRegistryBenchmark();
  printTable('8. Access registry: its writes per login beside bare INSERTs of the same bytes on the same database (docs/registry.md)', header, rows);
}
// Issue 18: the provider CPU of a cross-device login beside the card login's, and open SSE streams per process.
if (runs('smartphone')) console.log(`\n9. Smartphone sign-in (desktop + smartphone)\n${await runSmartphoneBenchmark()}`);
// Issue 19: a password and a passkey login's provider CPU beside the card login's, and their libraries alone.
if (runs('levels')) console.log(`\n10. Levels 1 and 2 (password, passkey, CieID app push and QR)\n${await (await import('./bench/levels.js')).runLevelsBenchmark()}`);
if (runs('soak')) {
  console.log(`\n7. Soak: logins and refreshes together, one provider process, Redis (issue 21)`);
  await runSoak({ minutes: Number(flag(SOAK_MINUTES_FLAG) ?? 10), load: Number(flag(SOAK_LOAD_FLAG) ?? 0.8) }, (line) => console.log(line));
}
console.log(`\nload average at the end: ${load()}`);
