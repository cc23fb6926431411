import { cpuUsage } from 'node:process';
import { providerOptions } from '../../src/config/options.js';
import { boundedFetcher, type FederationFetcher } from '../../src/federation/bounded-fetch.js';
import { loadTrustAnchors, type TrustAnchorSetting } from '../../src/federation/trust-anchors-file.js';
import { TrustChainResolver, type TrustChain } from '../../src/federation/trust-chain-resolver.js';
import { floorResolution, recordingFetcher, type RecordedRequest } from './federation-floor.js';
import { summarize, type Summary } from './statistics.js';

/** Resolutions per path, alternating with the floor, unless the time bound comes first. */
const ROUNDS = 40;
const WARM_UP = 3;
const TIME_BOUND_MS = 120_000;

export interface ResolutionSide {
  wallMs: Summary;
  cpuMs: Summary;
}

export interface ResolutionResult {
  path: string;
  /** The chain as resolved (the cached-lookup measurement reuses it). */
  chain: TrustChain;
  requests: RecordedRequest[];
  statements: number;
  floorVerifications: number;
  resolver: ResolutionSide;
  floor: ResolutionSide;
}

async function timed(work: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const side = (samples: { wallMs: number; cpuMs: number }[]): ResolutionSide => ({ wallMs: summarize(samples.map((s) => s.wallMs)), cpuMs: summarize(samples.map((s) => s.cpuMs)) });

/**
 * Cold resolutions of each subject's trust chain by the production resolver (bounded fetcher with
 * the FEDERATION_* defaults, no cache: a TrustChainResolver keeps nothing between resolutions),
 * alternating one by one with the floor (federation-floor.ts) making the same requests. CPU is this
 * process's (`process.cpuUsage`): the servers run in a child process.
 */
export async function benchColdResolution(trustAnchorsFile: string, subjects: { path: string; entityId: string; expectedStatements: number }[]): Promise<ResolutionResult[]> {
  const anchors = await loadTrustAnchors(trustAnchorsFile);
  const anchorJwks = anchors[0]!.jwks;
  const fetcher = boundedFetcher({ timeoutMs: Number(providerOptions.federationFetchTimeoutMs.default), maxBytes: Number(providerOptions.federationFetchMaxBytes.default) });
  // A recording resolver learns each path's requests once; the measured one fetches unwatched.
  const recorder = recordingFetcher(fetcher);
  const recording = newResolver(anchors, recorder.fetcher);
  const resolver = newResolver(anchors, fetcher);

  const plans = [];
  for (const subject of subjects) {
    recorder.requests.length = 0;
    const chain = await recording.resolve(subject.entityId);
    if (chain.statements.length !== subject.expectedStatements) throw new Error(`${subject.path}: chain of ${chain.statements.length} statements, expected ${subject.expectedStatements}`);
    const requests = [...recorder.requests];
    let floorVerifications = 0;
    for (let i = 0; i < WARM_UP; i += 1) {
      await resolver.resolve(subject.entityId);
      floorVerifications = await floorResolution(requests, anchorJwks);
    }
    plans.push({ ...subject, chain, requests, statements: chain.statements.length, floorVerifications, resolverSamples: [] as { wallMs: number; cpuMs: number }[], floorSamples: [] as { wallMs: number; cpuMs: number }[] });
  }

  const started = performance.now();
  for (let round = 0; round < ROUNDS && performance.now() - started < TIME_BOUND_MS; round += 1) {
    for (const plan of plans) {
      const resolverRun = () => timed(() => resolver.resolve(plan.entityId));
      const floorRun = () => timed(() => floorResolution(plan.requests, anchorJwks));
      // Which goes first alternates too, so neither always follows the other's garbage.
      if (round % 2 === 0) {
        plan.resolverSamples.push(await resolverRun());
        plan.floorSamples.push(await floorRun());
      } else {
        plan.floorSamples.push(await floorRun());
        plan.resolverSamples.push(await resolverRun());
      }
    }
  }
  return plans.map((plan) => ({ path: plan.path, chain: plan.chain, requests: plan.requests, statements: plan.statements, floorVerifications: plan.floorVerifications, resolver: side(plan.resolverSamples), floor: side(plan.floorSamples) }));
}

function newResolver(anchors: TrustAnchorSetting[], fetcher: FederationFetcher): TrustChainResolver {
  return new TrustChainResolver({
    anchors,
    fetcher,
    limits: { resolveTimeoutMs: Number(providerOptions.federationResolveTimeoutMs.default), maxAuthorityHints: Number(providerOptions.federationMaxAuthorityHints.default) },
    clockTolerance: Number(providerOptions.clockToleranceSeconds.default),
    // The provider logs one line per resolution; here it would only fill the bench's output.
    log: () => undefined,
  });
}
