#!/usr/bin/env node
/**
 * `cie-bridge-virtual`: `cie-bridge` for developers, with the virtual card (docs/virtual-card.md). The same
 * commands and options; the transport is `virtual` unless BRIDGE_TRANSPORT or --transport says `pcsc`.
 */
import { runBridgeProcess } from '../../bridge/cli/run-process.js';
import { VIRTUAL_CARD_TERMINALS } from './virtual-card-terminals.js';

await runBridgeProcess(VIRTUAL_CARD_TERMINALS, { BRIDGE_TRANSPORT: 'virtual', ...process.env });
