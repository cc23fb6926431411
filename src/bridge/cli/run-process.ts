import { configureLogging } from '../../shared/logger.js';
import type { CardTerminals } from '../card-terminals.js';
import { streamIo } from './cli-io.js';
import { runCli } from './run-cli.js';

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

/**
 * A bridge executable: this process's arguments, streams, signals and exit code around `runCli`, with the
 * readers the executable knows (`cie-bridge`: PC/SC; the developer's `cie-bridge-virtual`: also the virtual card).
 */
export async function runBridgeProcess(terminals: CardTerminals, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  // `serve` logs each request as JSON; on stderr, so that stdout keeps only the commands' results.
  configureLogging({ service: 'bridge', destination: process.stderr });
  const io = streamIo({ input: process.stdin, output: process.stdout, errorOutput: process.stderr });
  try {
    process.exitCode = await runCli(process.argv.slice(2), { io, env, waitForStop: untilSignal, terminals });
  } finally {
    io.close();
  }
}
