#!/usr/bin/env node
/** `cie-federation`: a local OpenID Federation trust anchor for RP developers (see docs/federation.md). */
import { once } from 'node:events';
import { runFederationCli } from './cli.js';

const shutdown = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => undefined);

process.exitCode = await runFederationCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  waitForShutdown: () => shutdown,
});
