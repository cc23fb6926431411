#!/usr/bin/env node
/** `cie-app`: the CieID-app simulator from a terminal (docs/app-protocol.md); the PIN is read from stdin. */
import { createInterface } from 'node:readline';
import { runAppCli } from './app-cli.js';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.exitCode = await runAppCli(
  process.argv.slice(2),
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), waitForShutdown: () => new Promise(() => undefined) },
  async () => {
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  },
);
process.stdin.destroy();
