#!/usr/bin/env node
/** `cie-bridge`: the citizen's card bridge (docs/bridge.md), on real readers through PC/SC only. */
import { PCSC_TERMINALS } from './card-terminals.js';
import { runBridgeProcess } from './cli/run-process.js';

await runBridgeProcess(PCSC_TERMINALS);
