import { EventEmitter } from 'node:events';
import type { PcscBinding, PcscCallback, PcscContext, PcscReader, PcscReaderStatus } from '../../src/transport/pcsc/pcsc-binding.js';

export const STATE_EMPTY = 0x10;
export const STATE_PRESENT = 0x20;
export const PROTOCOL_T1 = 2;

type Answer<T> = { error: Error } | { value: T } | 'never';

/** A reader that behaves like pcsclite's CardReader: asynchronous callbacks, scripted answers. */
export class FakeReader extends EventEmitter implements PcscReader {
  readonly calls: string[] = [];
  connectAnswer: Answer<number> = { value: PROTOCOL_T1 };
  disconnectAnswer: Answer<void> = { value: undefined };
  transmitAnswer: (command: Buffer) => Answer<Buffer> = () => ({ value: Buffer.from([0x90, 0x00]) });
  closed = false;

  constructor(readonly name: string) {
    super();
  }

  connect(options: { share_mode: number; protocol: number }, callback: PcscCallback<number>): void {
    this.calls.push(`connect share=${options.share_mode} protocol=${options.protocol}`);
    answerLater(this.connectAnswer, callback);
  }

  disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void {
    this.calls.push(`disconnect ${disposition}`);
    answerLater(this.disconnectAnswer, (error) => callback(error));
  }

  transmit(command: Buffer, maxResponseLength: number, protocol: number, callback: PcscCallback<Buffer>): void {
    this.calls.push(`transmit ${command.toString('hex')} max=${maxResponseLength} protocol=${protocol}`);
    answerLater(this.transmitAnswer(command), callback);
  }

  close(): void {
    this.closed = true;
  }

  /** What pcsclite does when the reader watcher sees a change. */
  report(state: number, atr?: Uint8Array): void {
    const status: PcscReaderStatus = { state, atr: atr ? Buffer.from(atr) : undefined };
    this.emit('status', status);
  }
}

function answerLater<T>(answer: Answer<T>, callback: PcscCallback<T>): void {
  if (answer === 'never') return;
  setImmediate(() => ('error' in answer ? callback(answer.error, undefined as T) : callback(null, answer.value)));
}

export class FakeContext extends EventEmitter implements PcscContext {
  closed = false;

  close(): void {
    this.closed = true;
    // pcsclite reports its own cancellation as an error.
    this.emit('error', new Error('SCardGetStatusChange error: Command cancelled.(0x80100002)'));
  }

  /** One reader listing: new readers announced, then 'readers-listed', then their first statuses. */
  list(readers: { reader: FakeReader; state: number; atr?: Uint8Array }[]): void {
    for (const { reader } of readers) this.emit('reader', reader);
    this.emit('readers-listed');
    setImmediate(() => readers.forEach(({ reader, state, atr }) => reader.report(state, atr)));
  }
}

/** A binding whose context lists `readers` on the next tick, as pcsclite does. */
export function fakeBinding(readers: { reader: FakeReader; state: number; atr?: Uint8Array }[]): {
  binding: PcscBinding;
  contexts: FakeContext[];
} {
  const contexts: FakeContext[] = [];
  const binding = () => {
    const context = new FakeContext();
    contexts.push(context);
    setImmediate(() => context.list(readers));
    return context;
  };
  return { binding, contexts };
}
