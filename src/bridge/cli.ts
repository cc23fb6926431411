#!/usr/bin/env node
import { configureLogging } from '../shared/logger.js';
import { streamIo } from './cli/cli-io.js';
import { runCli } from './cli/run-cli.js';

// `serve` logs each request as JSON; on stderr, so that stdout keeps only the commands' results.
configureLogging({ service: 'bridge', destination: process.stderr });

/** Resolves on the first SIGINT or SIGTERM, so `serve` can close the server and release the reader. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const io = streamIo({ input: process.stdin, output: process.stdout, errorOutput: process.stderr });
try {
  process.exitCode = await runCli(process.argv.slice(2), { io, env: process.env, waitForStop: untilSignal });
} finally {
  io.close();
}
