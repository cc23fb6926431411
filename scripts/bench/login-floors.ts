import { createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes, sign, verify, constants, type KeyObject } from 'node:crypto';
import { freePort } from '../../src/shared/free-port.js';
import { fileURLToPath } from 'node:url';
import { deployedNodeOptions } from './deployed-node-options.js';
import { startChild } from './login-child.js';
import { httpRequest } from './login-http.js';
import { closedLoop } from './login-load.js';
import { summarize } from './statistics.js';

/** The provider's own cryptography per unit of work (a login, a refresh), by operation. */
export interface CryptoWork {
  /** RSA-2048 PKCS#1 v1.5 signatures (ID token, signed userinfo, access and refresh token JWTs). */
  rsaSigns: number;
  /** RSA-2048 verifications (request object, card signature, certificate chain, client assertion, token JWTs). */
  rsaVerifies: number;
  /** ECDSA P-256 signatures and verifications (token JWTs with TOKEN_SIGNING_ALG=ES256). */
  ecSigns: number;
  ecVerifies: number;
  /** RSA-OAEP key wrapping plus A256CBC-HS512 content encryption of ~1 KB (encrypted userinfo). */
  encryptions: number;
}

/** Does one unit's cryptography with node:crypto, synchronously, on fresh RSA-2048 keys made once. */
export function cryptoWorker(work: CryptoWork): () => void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecPrivate = { key: ec.privateKey, dsaEncoding: 'ieee-p1363' as const };
  const ecPublic = { key: ec.publicKey, dsaEncoding: 'ieee-p1363' as const };
  const input = randomBytes(700);
  const signature = sign('sha256', input, privateKey);
  const ecSignature = sign('sha256', input, ecPrivate);
  const encrypt = (key: KeyObject) => {
    const secret = randomBytes(64);
    publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret);
    const cipher = createCipheriv('aes-256-cbc', secret.subarray(32), randomBytes(16));
    const encrypted = Buffer.concat([cipher.update(input), cipher.update(input), cipher.final()]);
    createHmac('sha512', secret.subarray(0, 32)).update(encrypted).digest();
  };
  return () => {
    for (let i = 0; i < work.rsaSigns; i += 1) sign('sha256', input, privateKey);
    for (let i = 0; i < work.rsaVerifies; i += 1) {
      if (!verify('sha256', input, publicKey, signature)) throw new Error('floor: verification failed');
    }
    for (let i = 0; i < work.ecSigns; i += 1) sign('sha256', input, ecPrivate);
    for (let i = 0; i < work.ecVerifies; i += 1) {
      if (!verify('sha256', input, ecPublic, ecSignature)) throw new Error('floor: verification failed');
    }
    for (let i = 0; i < work.encryptions; i += 1) encrypt(publicKey);
  };
}

export function describeCrypto(work: CryptoWork): string {
  const parts = [
    [work.rsaSigns, 'RSA signs'],
    [work.rsaVerifies, 'RSA verifies'],
    [work.ecSigns, 'ES256 signs'],
    [work.ecVerifies, 'ES256 verifies'],
    [work.encryptions, 'JWE'],
  ] as const;
  return parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`).join(', ');
}

/** Units per second on one core if the provider did nothing but this cryptography with node:crypto. */
export function cryptoFloor(work: CryptoWork, durationMs = 2000): number {
  const once = cryptoWorker(work);
  once();
  let units = 0;
  const began = performance.now();
  while (performance.now() - began < durationMs) {
    once();
    units += 1;
  }
  return (units * 1000) / (performance.now() - began);
}

export interface HttpFloor {
  /** Units per second on the whole machine (server, load generator), as the provider's rate is measured. */
  perSecond: number;
  /** CPU time of the server process per unit (user + system, all its threads). */
  serverCpuMsPerUnit: number;
}

/**
 * Units per second when each unit is `roundTrips` sequential requests to a bare koa route in its own
 * process, with the same client concurrency: what the HTTP stack alone allows. With `work`, the
 * first request of each unit also does the unit's cryptography in the route: the same HTTP and the
 * same crypto as the provider, without oidc-provider, storage or any other logic.
 */
export async function bareKoaFloor(roundTrips: number, units: number, concurrency: number, work?: CryptoWork): Promise<HttpFloor> {
  const koa = await startBareKoa(roundTrips, concurrency, work);
  try {
    // Warm the server's JIT as the provider's is warmed before its timed run.
    await koa.phase(Math.min(units, 200));
    return await koa.phase(units);
  } finally {
    await koa.stop();
  }
}

/** A bare koa route in its own process, kept up so that phases on it can alternate with the provider's. */
export interface BareKoa {
  phase(units: number): Promise<HttpFloor>;
  stop(): Promise<void>;
}

export async function startBareKoa(roundTrips: number, concurrency: number, work?: CryptoWork): Promise<BareKoa> {
  const port = await freePort();
  const script = fileURLToPath(new URL('./login-bare-koa.js', import.meta.url));
  const koa = await startChild(process.execPath, [script], { PORT: String(port), NODE_OPTIONS: deployedNodeOptions(), ...(work ? { CRYPTO_WORK: JSON.stringify(work) } : {}) }, /listening/);
  const plain = new URL(`http://127.0.0.1:${port}/`);
  const withWork = new URL(`http://127.0.0.1:${port}/?work=1`);
  const unit = async () => {
    for (let i = 0; i < roundTrips; i += 1) await httpRequest(i === 0 ? withWork : plain);
  };
  return {
    async phase(units) {
      const cpu = koa.cpuSeconds();
      const run = await closedLoop(Array.from({ length: units }, (_, i) => i), concurrency, unit);
      if (run.failures > 0) throw new Error(`bare koa floor: ${run.firstFailure}`);
      return { perSecond: run.perSecond, serverCpuMsPerUnit: (1000 * (koa.cpuSeconds() - cpu)) / units };
    },
    stop: () => koa.stop(),
  };
}

export interface AlternatingComparison {
  phases: number;
  /** Medians over the phases: provider CPU per unit, floor server CPU per unit. */
  providerCpuMs: number;
  floorCpuMs: number;
  /** floor ÷ provider CPU per unit, per pair of neighbouring phases: median and range. */
  ratio: { median: number; min: number; max: number };
}

/**
 * The provider and the same work in a bare koa route, measured in short phases that alternate
 * (provider, floor, provider, floor…), each pair's ratio taken, and the median of those ratios
 * reported. One measurement of each after the other, as before, compares two different moments of
 * a VM whose speed changes from one second to the next (docs/benchmarks.md); neighbouring phases
 * share the moment. `providerPhase` runs one phase of `floorSpec.units` and returns CPU ms per unit.
 */
export async function alternateWithSameWork(
  floorSpec: { roundTrips: number; concurrency: number; work: CryptoWork; units: number; phases: number },
  providerPhase: () => Promise<number>,
): Promise<AlternatingComparison> {
  return (await alternateSeveralWithSameWork(floorSpec, [providerPhase])).comparisons[0]!;
}

/** Several providers' phases and the floor's, alternating: each comparison, and each provider's CPU per unit of every round. */
export interface SeveralAlternating {
  comparisons: AlternatingComparison[];
  /** perRound[i][j]: provider j's CPU ms per unit in round i. */
  perRound: number[][];
}

/**
 * As alternateWithSameWork, for several providers doing the same work (the deployed one and one
 * without a part of it): each round runs every provider's phase, in an order that rotates from one
 * round to the next (so none always comes first after the floor), then the floor's; each provider's
 * ratio is taken against its round's floor.
 */
export async function alternateSeveralWithSameWork(
  floorSpec: { roundTrips: number; concurrency: number; work: CryptoWork; units: number; phases: number },
  providerPhases: readonly (() => Promise<number>)[],
): Promise<SeveralAlternating> {
  const floor = await startBareKoa(floorSpec.roundTrips, floorSpec.concurrency, floorSpec.work);
  try {
    await floor.phase(Math.min(floorSpec.units, 200));
    const perRound: number[][] = [];
    const bare: number[] = [];
    for (let i = 0; i < floorSpec.phases; i += 1) {
      const round: number[] = [];
      for (let k = 0; k < providerPhases.length; k += 1) {
        const j = (i + k) % providerPhases.length;
        round[j] = await providerPhases[j]!();
      }
      perRound.push(round);
      bare.push((await floor.phase(floorSpec.units)).serverCpuMsPerUnit);
    }
    const comparisons = providerPhases.map((_, j) => {
      const provider = perRound.map((round) => round[j]!);
      const ratios = provider.map((ms, i) => bare[i]! / ms);
      return { phases: floorSpec.phases, providerCpuMs: summarize(provider).median, floorCpuMs: summarize(bare).median, ratio: { median: summarize(ratios).median, min: Math.min(...ratios), max: Math.max(...ratios) } };
    });
    return { comparisons, perRound };
  } finally {
    await floor.stop();
  }
}

export function alternatingLine(unit: string, comparison: AlternatingComparison): string {
  const { ratio } = comparison;
  const percent = (value: number) => (100 * value).toFixed(0);
  return `floor, the same work in a bare koa route, ${comparison.phases} phases alternating with the provider's: provider CPU ${comparison.providerCpuMs.toFixed(2)} ms, floor ${comparison.floorCpuMs.toFixed(2)} ms per ${unit} (medians) → we reach ${percent(ratio.median)} % per core (median of the pairs; ${percent(ratio.min)}–${percent(ratio.max)} %)`;
}

/**
 * How the provider compares with the same work done without it (the koa route doing the same crypto):
 * per busy core (floor server CPU / provider CPU per unit) and on the whole machine (rate / rate).
 */
export function sameWorkLine(unit: string, perSecond: number, providerCpuMsPerUnit: number, floor: HttpFloor): string {
  const perCore = (100 * floor.serverCpuMsPerUnit) / providerCpuMsPerUnit;
  const machine = (100 * perSecond) / floor.perSecond;
  return `floor, the same HTTP round trips and crypto in a bare koa route: ${floor.perSecond.toFixed(0)} ${unit}s/s, server CPU ${floor.serverCpuMsPerUnit.toFixed(2)} ms per ${unit} → we reach ${perCore.toFixed(0)} % per core, ${machine.toFixed(0)} % on the machine`;
}
