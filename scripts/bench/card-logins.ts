import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { digestToSign } from '../../src/bridge/assertion-builder.js';
import { CardAccess } from '../../src/bridge/card-access.js';
import type { DeviceAuthKeys } from '../../src/card/index.js';
import { signedMessage } from '../../src/cie/verify/index.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import type { CardTerminal } from '../../src/transport/card-transport.js';
import { summarize, type Summary } from './statistics.js';
import type { TimedCardPort } from './timed-card-port.js';
import { TimedTerminal } from './timed-terminal.js';

export interface LoginSample {
  readonly apdus: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Wall time of `CieCard.authenticate`, ms. */
  readonly totalMs: number;
  /** Time inside the virtual card's `transmit`, ms. */
  readonly cardMs: number;
  /** Time waiting for `transmit` answers (card included), ms. */
  readonly transmitMs: number;
  /** CPU time of this process (all threads) during `authenticate`, ms: unlike wall time, not inflated by other load. */
  readonly processCpuMs: number;
}

export interface LoginMeasurements {
  readonly apdus: Summary;
  readonly bytesSent: Summary;
  readonly bytesReceived: Summary;
  readonly totalMs: Summary;
  readonly cardMs: Summary;
  /** Waiting for `transmit` answers minus the card's time: what carries the APDUs, ms. */
  readonly transportMs: Summary;
  /** totalMs minus the time waiting for `transmit` answers: the host's own protocol work (DH, DAPP, SM), ms. */
  readonly hostMs: Summary;
  readonly processCpuMs: Summary;
}

/** One way of reaching the card, opened for the bench. */
export interface CardPath {
  readonly sampler: LoginSampler;
  close(): Promise<void>;
}

const ORIGIN = 'http://localhost:3000';

/** One bridge login (CardAccess → CieCard.authenticate, one secure session) per call, measured. */
export class LoginSampler {
  readonly #access: CardAccess;
  readonly #terminal: TimedTerminal;

  constructor(
    terminal: CardTerminal,
    private readonly card: TimedCardPort,
    deviceAuthKeys: DeviceAuthKeys,
    readerName?: string,
  ) {
    this.#terminal = new TimedTerminal(terminal);
    this.#access = new CardAccess(this.#terminal, deviceAuthKeys, readerName);
  }

  /** The signature is checked, so a broken run cannot pass for a fast one. */
  async login(): Promise<LoginSample> {
    const challenge = randomBytes(32);
    const { authentication, sample } = await this.#access.withCard(async (cieCard) => {
      const cardBefore = this.card.cardMs;
      const transmitBefore = this.#terminal.transmitMs;
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const result = await cieCard.authenticate(DEMO_PIN, digestToSign(ORIGIN, challenge));
      const totalMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      return {
        authentication: result,
        sample: {
          ...result.stats,
          totalMs,
          cardMs: this.card.cardMs - cardBefore,
          transmitMs: this.#terminal.transmitMs - transmitBefore,
          processCpuMs: (cpu.user + cpu.system) / 1000,
        },
      };
    });
    const { publicKey } = new X509Certificate(authentication.certificate);
    if (!verify('sha256', signedMessage(ORIGIN, challenge), publicKey, authentication.signature)) {
      throw new Error('the card returned a signature that does not verify');
    }
    return sample;
  }
}

export function summarizeLogins(samples: readonly LoginSample[]): LoginMeasurements {
  const of = (pick: (sample: LoginSample) => number) => summarize(samples.map(pick));
  return {
    apdus: of((s) => s.apdus),
    bytesSent: of((s) => s.bytesSent),
    bytesReceived: of((s) => s.bytesReceived),
    totalMs: of((s) => s.totalMs),
    cardMs: of((s) => s.cardMs),
    transportMs: of((s) => s.transmitMs - s.cardMs),
    hostMs: of((s) => s.totalMs - s.transmitMs),
    processCpuMs: of((s) => s.processCpuMs),
  };
}

/**
 * Logins on every path in turn (A, B, A, B, …) after `warmUp` unrecorded rounds, so that load from
 * other processes, which changes from second to second, falls on all paths alike.
 */
export async function interleavedLogins(samplers: readonly LoginSampler[], { logins, warmUp }: { logins: number; warmUp: number }): Promise<LoginMeasurements[]> {
  const samples = samplers.map((): LoginSample[] => []);
  for (let round = 0; round < warmUp + logins; round++) {
    for (const [index, sampler] of samplers.entries()) {
      const sample = await sampler.login();
      if (round >= warmUp) samples[index]!.push(sample);
    }
  }
  return samples.map(summarizeLogins);
}
