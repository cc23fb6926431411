import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { PCSC_HARNESS_LOCK, PCSC_HARNESS_STATE, PCSC_STACK_START_TIMEOUT_MS, startPcscStack, type PcscHarnessState } from '../support/pcsc-stack.js';

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Takes the harness lock as a stack would (waiting for a parallel worker's stack to stop). */
async function takeLock(): Promise<Server> {
  for (;;) {
    const server = createServer();
    const taken = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(PCSC_HARNESS_LOCK, () => resolve(true));
    });
    if (taken) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('stacks are serialised: a second start waits until the first one stopped', async () => {
  const first = await startPcscStack();
  let firstStopped = false;
  const second = startPcscStack().then((stack) => ({ stack, startedAfterFirstStopped: firstStopped }));
  await new Promise((resolve) => setTimeout(resolve, 300)); // give the second start a chance to (wrongly) go ahead
  firstStopped = true;
  await first.stop();
  const { stack, startedAfterFirstStopped } = await second;
  expect(startedAfterFirstStopped).toBe(true);
  await stack.stop();
  await stack.stop();
}, 2 * PCSC_STACK_START_TIMEOUT_MS); // two stacks, the first possibly waiting for another worker's

test('processes left by a crashed stack holder are ended by the next stack', async () => {
  const leftOver = spawn('sleep', ['infinity'], { stdio: 'ignore' });
  try {
    // Play a holder that crashed: it held the lock, recorded a process, and its lock went away.
    const lock = await takeLock();
    const state: PcscHarnessState = { processes: [{ pid: leftOver.pid as number, command: 'sleep' }], workDir: undefined };
    await writeFile(PCSC_HARNESS_STATE, JSON.stringify(state));
    await new Promise((resolve) => lock.close(resolve));

    const stack = await startPcscStack();
    await stack.stop();
    await exited(leftOver);
    expect(leftOver.signalCode).toBe('SIGTERM');
  } finally {
    leftOver.kill('SIGKILL');
  }
}, 2 * PCSC_STACK_START_TIMEOUT_MS); // two stacks, the first possibly waiting for another worker's
