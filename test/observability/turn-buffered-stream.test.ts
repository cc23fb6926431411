import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { TurnBufferedStream } from '../../src/shared/turn-buffered-stream.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';

/** A sink that records each write it is handed, and each synchronous flush. */
function recordingSink() {
  const writes: string[] = [];
  let flushedSync = 0;
  return { writes, flushes: () => flushedSync, sink: { write: (text: string) => writes.push(text), flushSync: () => void (flushedSync += 1) } };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBufferedStream: the lines of one event-loop turn in one write', () => {
  test('lines written in one turn reach the sink after it, together and in order; a later turn is a write of its own', async () => {
    const { writes, sink } = recordingSink();
    const stream = new TurnBufferedStream(sink, new EventEmitter());
    stream.write('one\n');
    stream.write('two\n');
    await Promise.resolve();
    stream.write('three\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\nthree\n']);
    stream.write('four\n');
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
    await nextTurn();
    expect(writes).toHaveLength(2);
  });

  test('at exit the queued lines are written at once, then the sink flushes synchronously', () => {
    const { writes, flushes, sink } = recordingSink();
    const exits = new EventEmitter();
    const stream = new TurnBufferedStream(sink, exits);
    stream.write('last words\n');
    exits.emit('exit');
    expect(writes).toEqual(['last words\n']);
    expect(flushes()).toBe(1);
  });

  test('the exit is listened to only while lines wait: no listener left behind per stream or per turn', async () => {
    const exits = new EventEmitter();
    const stream = new TurnBufferedStream(recordingSink().sink, exits);
    expect(exits.listenerCount('exit')).toBe(0);
    for (let turn = 0; turn < 20; turn += 1) {
      stream.write('a\n');
      stream.write('b\n');
      expect(exits.listenerCount('exit')).toBe(1);
      await nextTurn();
      expect(exits.listenerCount('exit')).toBe(0);
    }
    stream.write('c\n');
    stream.flush();
    expect(exits.listenerCount('exit')).toBe(0);
  });

  test('pino writes through it: every line whole, in order, with its fields', async () => {
    const { writes, sink } = recordingSink();
    const logger = pino({ base: undefined, timestamp: false }, new TurnBufferedStream(sink, new EventEmitter()));
    for (let index = 0; index < 5; index += 1) logger.info({ index }, 'line');
    await nextTurn();
    expect(writes).toHaveLength(1);
    const lines = writes[0]!.trimEnd().split('\n').map((line) => JSON.parse(line) as { index: number; msg: string });
    expect(lines.map((line) => [line.index, line.msg])).toEqual([[0, 'line'], [1, 'line'], [2, 'line'], [3, 'line'], [4, 'line']]);
  });

  test('flush() writes what is queued now (pino\'s logger.flush)', () => {
    const { writes, sink } = recordingSink();
    const stream = new TurnBufferedStream(sink, new EventEmitter());
    stream.write('now\n');
    stream.flush();
    expect(writes).toEqual(['now\n']);
  });
});

test('a process that exits in the turn it logged loses no line of its stdout log', async () => {
  await ensureBuiltEntryPoint();
  const logger = pathToFileURL(join(process.cwd(), 'dist', 'src', 'shared', 'logger.js')).href;
  const script = `const { loggerFor } = await import(${JSON.stringify(logger)}); const log = loggerFor('exit-test'); for (let i = 0; i < 200; i += 1) log.info({ event: 'line', i }); process.exit(3);`;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.NODE_OPTIONS;
  delete env.JEST_WORKER_ID;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { env }, (error, out) => (error && error.code !== 3 ? reject(error) : resolve(out)));
  });
  const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { component: string; i: number });
  expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  expect(new Set(lines.map((line) => line.component))).toEqual(new Set(['exit-test']));
}, 120_000);
