import { X509Certificate, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildAssertion } from '../../src/bridge/assertion-builder.js';
import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { createRevocationChecker } from '../../src/cie/revocation/index.js';
import { CIE_AUTHENTICATION_POLICY, createAssertionVerifier, signedMessage, type AssertionVerifier, type VerifierConfig } from '../../src/cie/verify/index.js';
import { x509 } from '../../src/shared/x509.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import type { BenchEnvironment } from './bench-environment.js';
import { withCpuProfile } from './cpu-profile.js';
import { summarize, type Summary } from './statistics.js';

export interface Throughput {
  /** Operations per second of process CPU time (user + system, all threads): the per-core rate. */
  readonly perCpuSecond: Summary;
  /** Operations per second of wall time. */
  readonly perWallSecond: Summary;
}

export interface VerifierMeasurements {
  /** One verification at a time (await each). */
  readonly sequential: Throughput;
  /** `concurrency` verifications in flight: WebCrypto work overlaps with the main thread. */
  readonly concurrent: Throughput;
  /** One at a time, each with a certificate this verifier has not seen (its OCSP answer already cached). */
  readonly firstTime: Throughput;
  /**
   * Returning card, one at a time, with a revocation cache cap of 0: every verification asks the OCSP responder, as
   * a returning card does once its answer is older than OCSP_CACHE_MAX_AGE. The test PKI's responder runs in this
   * process, so its work (parsing, one RSA signature) is in the CPU time too.
   */
  readonly askingResponder: Throughput;
  readonly concurrency: number;
  /** node:crypto verify of the assertion signature alone. */
  readonly floorAssertionSignature: Throughput;
  /** node:crypto: the assertion signature plus every certificate signature the verifier checks (leaf, issuing CA, root self-signature). */
  readonly floorAllSignatures: Throughput;
  /** WebCrypto calls made by one first-time-card verification, by method (counted, not assumed). */
  readonly webCryptoCallsPerVerification: Record<string, number>;
  /** OCSP requests sent while measuring (0 = the cache stayed warm) and before (preparing: one per certificate). */
  readonly ocspRequests: { warmUp: number; measured: number; askingResponder: number };
}

const ORIGIN = 'http://localhost:3000';
const INTERACTION = 'bench-interaction';
const CHALLENGE_TTL_SECONDS = 600;

/**
 * Part 3: `createAssertionVerifier` throughput with a warm OCSP cache, against the node:crypto floor: a returning
 * card (the verifier's certificate cache hits) and cards seen for the first time (`firstTimePerRound` per round).
 */
export async function benchVerifier(
  environment: BenchEnvironment,
  { rounds, perRound, firstTimePerRound, concurrency, cpuProfilePath }: {
    rounds: number;
    perRound: number;
    firstTimePerRound: number;
    concurrency: number;
    cpuProfilePath?: string;
  },
): Promise<VerifierMeasurements> {
  const { card, pkiServer, environment: demo } = environment;
  const challenges = new ChallengeStore(new MemoryStateStore(), CHALLENGE_TTL_SECONDS);
  let ocspRequests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    ocspRequests++;
    return fetch(input, init);
  };
  const root = new x509.X509Certificate(new Uint8Array(demo.pki.rootCertificate.rawData));
  const issuing = new x509.X509Certificate(new Uint8Array(demo.pki.issuingCaCertificate.rawData));
  const config: VerifierConfig = {
    origin: ORIGIN,
    trustAnchors: [root],
    intermediates: [issuing],
    clockToleranceSeconds: 60,
    allowedAlgorithms: ['RS256'],
    requiredPolicy: CIE_AUTHENTICATION_POLICY,
    revocation: createRevocationChecker({ mode: 'ocsp', ocspUrl: `${pkiServer.url}/ocsp`, fetch: countingFetch }),
  };
  const verifyAssertion = createAssertionVerifier(config, challenges, () => {});
  let askedRequests = 0;
  const askingFetch: typeof fetch = (input, init) => {
    askedRequests++;
    return fetch(input, init);
  };
  const verifyAskingResponder = createAssertionVerifier(
    { ...config, revocation: createRevocationChecker({ mode: 'ocsp', ocspUrl: `${pkiServer.url}/ocsp`, fetch: askingFetch, cacheMaxAgeSeconds: 0 }) },
    challenges,
    () => {},
  );

  /** Fresh challenges in the store and assertions signed with the card's key, as the card would sign them. */
  const signedAssertions = async (count: number, certificates: readonly Uint8Array[] = [card.authCertificate]) => {
    const assertions: { raw: string; message: Buffer; signature: Buffer }[] = [];
    for (let index = 0; index < count; index++) {
      const record = await challenges.issue(INTERACTION, ORIGIN);
      const challenge = Buffer.from(record.challenge, 'base64url');
      const message = signedMessage(ORIGIN, challenge);
      const signature = sign('sha256', message, card.authKey);
      const certificate = certificates[index % certificates.length]!;
      const raw = buildAssertion({ origin: ORIGIN, challenge, certificate, signature, bridgeVersion: 'bench' });
      assertions.push({ raw, message, signature });
    }
    return assertions;
  };

  // First-time cards: certificates for the card's key with new serials. `verifyAssertion` fetches their OCSP
  // answers into the shared revocation cache, so `verifyFirstTime`, which has never seen them, pays no network.
  const firstTimeCertificates = await newCertificates(environment, rounds * firstTimePerRound + 2);
  for (const item of await signedAssertions(firstTimeCertificates.length, firstTimeCertificates)) await verifyOrFail(verifyAssertion, item.raw);
  const verifyFirstTime = createAssertionVerifier(config, challenges, () => {});
  const [firstTimeWarmUp, counted, ...firstTimeRest] = await signedAssertions(firstTimeCertificates.length, firstTimeCertificates);
  await verifyOrFail(verifyFirstTime, firstTimeWarmUp!.raw);
  const webCryptoCallsPerVerification = await countWebCryptoCalls(() => verifyOrFail(verifyFirstTime, counted!.raw));

  const [warmUp, askingWarmUp] = await signedAssertions(2);
  await verifyOrFail(verifyAssertion, warmUp!.raw);
  await verifyOrFail(verifyAskingResponder, askingWarmUp!.raw);

  const cardPublicKey = createPublicKey(card.authKey);
  const leaf = new X509Certificate(card.authCertificate);
  const issuingNode = new X509Certificate(new Uint8Array(issuing.rawData));
  const rootNode = new X509Certificate(new Uint8Array(root.rawData));
  const verifySignature = (item: { message: Buffer; signature: Buffer }) => {
    if (!verify('sha256', item.message, cardPublicKey, item.signature)) throw new Error('floor: assertion signature does not verify');
  };

  const sequential: RoundResult[] = [];
  const concurrent: RoundResult[] = [];
  const firstTime: RoundResult[] = [];
  const askingResponder: RoundResult[] = [];
  const floorAssertion: RoundResult[] = [];
  const floorAll: RoundResult[] = [];
  if (cpuProfilePath) {
    // An extra, untimed batch of first-time cards (the returning card is a cache hit): the profiler slows down what it watches.
    const profiledCertificates = await newCertificates(environment, firstTimePerRound);
    const profiled = await signedAssertions(profiledCertificates.length, profiledCertificates);
    for (const item of await signedAssertions(profiledCertificates.length, profiledCertificates)) await verifyOrFail(verifyAssertion, item.raw);
    await withCpuProfile(cpuProfilePath, async () => {
      for (const item of profiled) await verifyOrFail(verifyFirstTime, item.raw);
    });
  }
  const ocspWarmUp = ocspRequests;
  const askedWarmUp = askedRequests;
  for (let round = 0; round < rounds; round++) {
    const batch = await signedAssertions(perRound);
    sequential.push(await timeRound(perRound, async () => {
      for (const item of batch) await verifyOrFail(verifyAssertion, item.raw);
    }));
    const secondBatch = await signedAssertions(perRound);
    concurrent.push(await timeRound(perRound, () => inParallel(secondBatch, concurrency, (item) => verifyOrFail(verifyAssertion, item.raw))));
    const firstTimeBatch = firstTimeRest.slice(round * firstTimePerRound, (round + 1) * firstTimePerRound);
    firstTime.push(await timeRound(firstTimeBatch.length, async () => {
      for (const item of firstTimeBatch) await verifyOrFail(verifyFirstTime, item.raw);
    }));
    const askingBatch = await signedAssertions(firstTimePerRound);
    askingResponder.push(await timeRound(askingBatch.length, async () => {
      for (const item of askingBatch) await verifyOrFail(verifyAskingResponder, item.raw);
    }));
    floorAssertion.push(await timeRound(perRound, async () => batch.forEach(verifySignature)));
    floorAll.push(await timeRound(perRound, async () => {
      for (const item of batch) {
        verifySignature(item);
        if (!leaf.verify(issuingNode.publicKey) || !issuingNode.verify(rootNode.publicKey) || !rootNode.verify(rootNode.publicKey)) {
          throw new Error('floor: a certificate signature does not verify');
        }
      }
    }));
  }
  return {
    sequential: throughput(sequential),
    concurrent: throughput(concurrent),
    firstTime: throughput(firstTime),
    askingResponder: throughput(askingResponder),
    concurrency,
    floorAssertionSignature: throughput(floorAssertion),
    floorAllSignatures: throughput(floorAll),
    webCryptoCallsPerVerification,
    ocspRequests: { warmUp: ocspWarmUp, measured: ocspRequests - ocspWarmUp, askingResponder: askedRequests - askedWarmUp },
  };
}

/** Certificates for the bench card's key under new document numbers (so new serials), issued by the test PKI. */
async function newCertificates({ card, environment }: BenchEnvironment, count: number): Promise<Uint8Array[]> {
  const publicKey = createPublicKey(card.authKey);
  const certificates: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const documentNumber = `CB${randomBytes(4).toString('hex').toUpperCase().slice(0, 7)}`;
    certificates.push((await environment.pki.issueCardCertificate({ holder: card.holder, documentNumber, publicKey })).der);
  }
  return certificates;
}

async function verifyOrFail(verifyAssertion: AssertionVerifier, raw: string): Promise<void> {
  const verified = await verifyAssertion(raw, { boundTo: INTERACTION });
  if (!verified.identity.fiscalCode) throw new Error('the verifier returned no fiscal code');
}

interface RoundResult {
  readonly operations: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function timeRound(operations: number, work: () => Promise<unknown>): Promise<RoundResult> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { operations, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function throughput(rounds: readonly RoundResult[]): Throughput {
  return {
    perCpuSecond: summarize(rounds.map((round) => (round.operations * 1000) / round.cpuMs)),
    perWallSecond: summarize(rounds.map((round) => (round.operations * 1000) / round.wallMs)),
  };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

/** Counts calls to the WebCrypto methods @peculiar/x509 uses, by shadowing them on the SubtleCrypto instance for one run. */
async function countWebCryptoCalls(run: () => Promise<void>): Promise<Record<string, number>> {
  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...args: unknown[]) => unknown>;
  const counts: Record<string, number> = {};
  const methods = ['verify', 'importKey', 'digest'];
  for (const method of methods) {
    const original = subtle[method]!;
    counts[method] = 0;
    subtle[method] = (...args: unknown[]) => {
      counts[method]!++;
      return original.apply(globalThis.crypto.subtle, args);
    };
  }
  try {
    await run();
  } finally {
    for (const method of methods) delete subtle[method];
  }
  return counts;
}
