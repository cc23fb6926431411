import type { CardTransport } from '../../../src/transport/card-transport.js';
import { bytesToHex, concatBytes } from '../../../src/card/bytes.js';

/** One expected command and the card's answer; `expect` may be exact bytes or a checking function. */
export interface ScriptStep {
  label: string;
  expect: Uint8Array | ((command: Uint8Array) => void);
  respond: Uint8Array | ((command: Uint8Array) => Uint8Array);
}

/**
 * A fake CardTransport that plays a fixed script: each transmitted APDU must be the next expected one, byte for byte.
 * Answers longer than 256 data bytes are delivered the T=1 way: `61xx`, then GET RESPONSE rounds.
 */
export class ScriptedTransport implements CardTransport {
  readonly readerName = 'scripted';
  readonly sent: Uint8Array[] = [];
  bytesReceived = 0;
  resets = 0;
  private position = 0;
  private pending: Uint8Array | undefined;
  private pendingSw = new Uint8Array(0);

  constructor(
    readonly atr: Uint8Array,
    private readonly script: ScriptStep[],
  ) {}

  get remaining(): string[] {
    return this.script.slice(this.position).map((step) => step.label);
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.sent.push(command);
    const answer = this.pending ? this.getResponse(command) : this.nextStep(command);
    this.bytesReceived += answer.length;
    return answer;
  }

  async reset(): Promise<void> {
    this.resets += 1;
  }

  async close(): Promise<void> {}

  private nextStep(command: Uint8Array): Uint8Array {
    const step = this.script[this.position];
    if (!step) throw new Error(`unexpected extra command ${bytesToHex(command)}`);
    this.position += 1;
    if (typeof step.expect === 'function') step.expect(command);
    else if (bytesToHex(step.expect) !== bytesToHex(command)) {
      throw new Error(`step "${step.label}": expected ${bytesToHex(step.expect)}, got ${bytesToHex(command)}`);
    }
    const answer = typeof step.respond === 'function' ? step.respond(command) : step.respond;
    if (answer.length - 2 <= 256) return answer;
    this.pending = answer.slice(0, -2);
    this.pendingSw = answer.slice(-2);
    return Uint8Array.of(0x61, 0x00);
  }

  private getResponse(command: Uint8Array): Uint8Array {
    const pending = this.pending!;
    const le = command[4] || 256;
    if (bytesToHex(command.slice(0, 4)) !== '00C00000' || command.length !== 5) {
      throw new Error(`expected GET RESPONSE, got ${bytesToHex(command)}`);
    }
    const chunk = pending.slice(0, le);
    const rest = pending.slice(le);
    if (rest.length === 0) {
      this.pending = undefined;
      return concatBytes(chunk, this.pendingSw);
    }
    this.pending = rest;
    return concatBytes(chunk, Uint8Array.of(0x61, Math.min(rest.length, 256) & 0xff));
  }
}

export const ok = (data: Uint8Array = new Uint8Array(0)): Uint8Array => concatBytes(data, Uint8Array.of(0x90, 0x00));
