// `npm run bench -- federation` (issue 14): cold trust-chain resolution against the local trust anchor,
// beside the same requests + one jwtVerify per statement; and the per-request cost of an RP registered
// automatically with its chain cached, beside the same RP registered statically.
import { benchCachedChainAuthorize, type AuthorizeComparison } from './federation-authorize.js';
import { benchCachedLookup, type CacheLookupComparison } from './federation-cache-lookup.js';
import { benchColdResolution, type ResolutionResult } from './federation-resolution.js';
import { prepareBenchAnchor, startBenchFederation } from './federation-setup.js';
import { startLoginBenchStack } from './login-stack.js';
import { fixed, printTable } from './table.js';

const medianP90 = (summary: { median: number; p90: number }) => `${fixed(summary.median)} / ${fixed(summary.p90)}`;

export async function runFederationBenchmark(): Promise<void> {
  const anchor = await prepareBenchAnchor();
  try {
    // One provider process on Redis (as part 4), trusting the anchor; its static RP's keys are the federated RPs' too.
    const stack = await startLoginBenchStack(1, [], { FEDERATION_TRUST_ANCHORS: anchor.trustAnchorsFile });
    try {
      const federation = await startBenchFederation(anchor, stack.rp.keys);
      try {
        const resolutions = await benchColdResolution(anchor.trustAnchorsFile, [
          { path: 'RP → anchor', entityId: federation.direct, expectedStatements: 3 },
          { path: 'RP → intermediate → anchor', entityId: federation.viaIntermediate, expectedStatements: 4 },
        ]);
        printResolution(resolutions);
        printAuthorize(await benchCachedChainAuthorize(stack, federation.direct));
        printCachedLookup(await benchCachedLookup(resolutions[0]!.chain));
      } finally {
        await federation.close();
      }
    } finally {
      await stack.close();
    }
  } finally {
    await anchor.dispose();
  }
}

function printResolution(results: ResolutionResult[]): void {
  printTable(
    'Federation 1. Cold trust-chain resolution, local trust anchor (anchor server + RP entity configurations in a child process, 127.0.0.1); resolver and floor alternate',
    ['path', 'requests', 'resolver wall ms', 'resolver CPU ms', 'floor wall ms', 'floor CPU ms', 'resolver ÷ floor, wall / CPU'],
    results.map((result) => [
      result.path,
      String(result.requests.length),
      medianP90(result.resolver.wallMs),
      medianP90(result.resolver.cpuMs),
      medianP90(result.floor.wallMs),
      medianP90(result.floor.cpuMs),
      `${fixed(result.resolver.wallMs.median / result.floor.wallMs.median)} / ${fixed(result.resolver.cpuMs.median / result.floor.cpuMs.median)}`,
    ]),
  );
  console.log('   ms: median / p90 over the resolutions; CPU = this process (process.cpuUsage), the servers\' CPU not included');
  for (const result of results) {
    console.log(`   ${result.path}: ${result.resolver.wallMs.count} resolutions; requests: ${result.requests.map((request) => `${request.method} ${new URL(request.url).pathname}${request.url.includes('?sub=') ? '?sub=…' : ''}`).join(', ')}; floor verified ${result.floorVerifications} JWTs`);
  }
  console.log('   floor = the same requests with plain fetch + one jose jwtVerify per signed document and per trust mark of the leaf (no typ/iss/sub, key binding, policy or constraints)');
}

function printAuthorize(result: AuthorizeComparison): void {
  printTable(
    `Federation 2. Authorization request (signed request object → 303 to the login page), one at a time, ${result.phases} phases of ${result.perPhase} per RP, alternating`,
    ['RP', 'wall ms, median (p10–p90)', 'provider CPU ms per request, median of phases (p10–p90)'],
    [
      ['static (CLIENTS_FILE)', `${fixed(result.staticRp.wallMs.median)} (${fixed(result.staticRp.wallMs.p10)}–${fixed(result.staticRp.wallMs.p90)})`, `${fixed(result.staticRp.cpuMsPerRequest.median)} (${fixed(result.staticRp.cpuMsPerRequest.p10)}–${fixed(result.staticRp.cpuMsPerRequest.p90)})`],
      ['federated, chain cached', `${fixed(result.federatedRp.wallMs.median)} (${fixed(result.federatedRp.wallMs.p10)}–${fixed(result.federatedRp.wallMs.p90)})`, `${fixed(result.federatedRp.cpuMsPerRequest.median)} (${fixed(result.federatedRp.cpuMsPerRequest.p10)}–${fixed(result.federatedRp.cpuMsPerRequest.p90)})`],
    ],
  );
  console.log(`   federated − static, provider CPU per request, median of phase pairs: ${fixed(result.cpuDifferenceMs.median, 3)} ms (p10–p90 ${fixed(result.cpuDifferenceMs.p10, 3)}–${fixed(result.cpuDifferenceMs.p90, 3)}); ratio ${fixed(result.cpuRatio.median)} (${fixed(result.cpuRatio.p10)}–${fixed(result.cpuRatio.p90)})`);
  console.log(`   federated − static, wall per request (medians): ${fixed(result.federatedRp.wallMs.median - result.staticRp.wallMs.median, 3)} ms; ratio ${fixed(result.federatedRp.wallMs.median / result.staticRp.wallMs.median)}`);
  console.log(`   the federated RP's first request (its chain resolved by the provider before the answer): ${fixed(result.firstFederatedMs)} ms`);
}

function printCachedLookup(result: CacheLookupComparison): void {
  printTable('Federation 2b. The cached chain in process: TrustChainCache.get on a warm entry vs its floor, an awaited Map.get (CPU µs per call, median of rounds, p10–p90)', ['lookup', 'µs per call'], [
    ['TrustChainCache.get, warm', `${fixed(result.cacheGetUs.median, 3)} (${fixed(result.cacheGetUs.p10, 3)}–${fixed(result.cacheGetUs.p90, 3)})`],
    ['floor: await Map.get', `${fixed(result.mapGetUs.median, 3)} (${fixed(result.mapGetUs.p10, 3)}–${fixed(result.mapGetUs.p90, 3)})`],
  ]);
  console.log(`   ratio ${fixed(result.cacheGetUs.median / result.mapGetUs.median, 1)}; difference ${fixed(result.cacheGetUs.median - result.mapGetUs.median, 3)} µs per lookup`);
}
