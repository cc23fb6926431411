#!/usr/bin/env node
/** `cie-pki`: manage the test PKI for CIE authentication certificates (see docs/pki.md). */
import { once } from 'node:events';
import { runPkiCli } from './pki/cli.js';

const shutdown = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => undefined);

process.exitCode = await runPkiCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  waitForShutdown: () => shutdown,
});
