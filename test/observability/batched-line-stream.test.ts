import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { BatchedLineStream } from '../../src/shared/batched-line-stream.js';
import { ensureBuiltEntryPoint } from '../scale/support/built-entry-point.js';

/** A sink that records each write it is handed, and each synchronous flush. */
function recordingSink() {
  const writes: string[] = [];
  let flushedSync = 0;
  return { writes, flushes: () => flushedSync, sink: { write: (text: string) => writes.push(text), flushSync: () => void (flushedSync += 1) } };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
/** Resolves once `condition` holds (checked every turn), so no test waits a fixed time. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('BatchedLineStream: the lines of up to maxDelayMs in one write', () => {
  test('lines written over several turns reach the sink together and in order once the delay is over; a later line starts a batch of its own', async () => {
    const { writes, sink } = recordingSink();
    const stream = new BatchedLineStream(sink, { maxDelayMs: 500 }, new EventEmitter());
    stream.write('one\n');
    stream.write('two\n');
    await nextTurn();
    stream.write('three\n');
    await nextTurn();
    expect(writes).toEqual([]);
    await until(() => writes.length > 0);
    expect(writes).toEqual(['one\ntwo\nthree\n']);
    stream.write('four\n');
    expect(writes).toHaveLength(1);
    await until(() => writes.length > 1);
    expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
  });

  test('a batch of maxBytes is written at once, without waiting for the delay', () => {
    const { writes, sink } = recordingSink();
    const stream = new BatchedLineStream(sink, { maxDelayMs: 60_000, maxBytes: 10 }, new EventEmitter());
    stream.write('12345\n');
    expect(writes).toEqual([]);
    stream.write('67890\n');
    expect(writes).toEqual(['12345\n67890\n']);
    stream.write('x\n');
    expect(writes).toHaveLength(1);
    stream.flush();
    expect(writes).toEqual(['12345\n67890\n', 'x\n']);
  });

  test('at exit the queued lines are written at once, then the sink flushes synchronously', () => {
    const { writes, flushes, sink } = recordingSink();
    const exits = new EventEmitter();
    const stream = new BatchedLineStream(sink, { maxDelayMs: 60_000 }, exits);
    stream.write('last words\n');
    exits.emit('exit');
    expect(writes).toEqual(['last words\n']);
    expect(flushes()).toBe(1);
  });

  test('the exit is listened to only while lines wait: no listener left behind per stream or per batch', async () => {
    const exits = new EventEmitter();
    const { writes, sink } = recordingSink();
    const stream = new BatchedLineStream(sink, { maxDelayMs: 1 }, exits);
    expect(exits.listenerCount('exit')).toBe(0);
    for (let batch = 0; batch < 20; batch += 1) {
      stream.write('a\n');
      stream.write('b\n');
      expect(exits.listenerCount('exit')).toBe(1);
      await until(() => writes.length === batch + 1);
      expect(exits.listenerCount('exit')).toBe(0);
    }
    stream.write('c\n');
    stream.flush();
    expect(exits.listenerCount('exit')).toBe(0);
  });

  test('pino writes through it: every line whole, in order, with its fields', async () => {
    const { writes, sink } = recordingSink();
    const logger = pino({ base: undefined, timestamp: false }, new BatchedLineStream(sink, { maxDelayMs: 1 }, new EventEmitter()));
    for (let index = 0; index < 5; index += 1) logger.info({ index }, 'line');
    await until(() => writes.length > 0);
    expect(writes).toHaveLength(1);
    const lines = writes[0]!.trimEnd().split('\n').map((line) => JSON.parse(line) as { index: number; msg: string });
    expect(lines.map((line) => [line.index, line.msg])).toEqual([[0, 'line'], [1, 'line'], [2, 'line'], [3, 'line'], [4, 'line']]);
  });

  test('flush() writes what is queued now (pino\'s logger.flush)', () => {
    const { writes, sink } = recordingSink();
    const stream = new BatchedLineStream(sink, {}, new EventEmitter());
    stream.write('now\n');
    stream.flush();
    expect(writes).toEqual(['now\n']);
  });

  test('a process whose only work left is a waiting batch still exits, and writes the batch', async () => {
    await ensureBuiltEntryPoint();
    const module = pathToFileURL(join(process.cwd(), 'dist', 'src', 'shared', 'batched-line-stream.js')).href;
    const script = `const { BatchedLineStream } = await import(${JSON.stringify(module)}); const stream = new BatchedLineStream({ write: (text) => process.stdout.write(text) }, { maxDelayMs: 600000 }); stream.write('waited\\n');`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (error, out) => (error ? reject(error) : resolve(out)));
    });
    expect(stdout).toBe('waited\n');
  }, 120_000);
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
