#!/usr/bin/env node
/** `cie-federation`: a local OpenID Federation trust anchor for RP developers (see docs/federation.md). */
import { once } from 'node:events';
import { configureLogging } from '../../shared/logger.js';
import { runFederationCli } from './cli.js';

// `serve` logs each request as a JSON line (stderr: stdout keeps the commands' human output).
configureLogging({ service: 'trust-anchor', destination: process.stderr });

const shutdown = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => undefined);

process.exitCode = await runFederationCli(process.argv.slice(2), {
  // Human output of the CLI, not log lines (test/observability/no-console.test.ts allows these two).
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  waitForShutdown: () => shutdown,
});
