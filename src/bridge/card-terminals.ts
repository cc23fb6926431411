import type { BridgeConfig } from '../config/config.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { PcscTerminal } from '../transport/pcsc/pcsc-terminal.js';

/** Opens a reader for the bridge's settings. */
export type OpenTerminal = (config: BridgeConfig) => Promise<CardTerminal>;

/**
 * The ways a bridge program can reach a card, by `BRIDGE_TRANSPORT` name. The production `cie-bridge`
 * knows real readers only; the virtual card is handed in by the developer entry, the demo and the tests
 * (src/simulator/virtual-bridge/), so the production program never loads the simulator.
 */
export type CardTerminals = Partial<Record<BridgeConfig['transport'], OpenTerminal>>;

/** Real readers through the system's PC/SC service (pcscd). */
export const PCSC_TERMINALS: CardTerminals = {
  pcsc: (config) => PcscTerminal.open({ timeoutMs: config.apduTimeoutMs }),
};
