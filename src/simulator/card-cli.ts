#!/usr/bin/env node
/** `cie-card`: mint, describe and reset virtual CIE card files (docs/virtual-card.md). */
import { runCardCli } from './card/card-cli-commands.js';

process.exitCode = await runCardCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
