import { type CardTerminals, PCSC_TERMINALS } from '../../bridge/card-terminals.js';
import { CardFileTerminal } from './card-file-terminal.js';

/**
 * The bridge's readers plus the virtual card: `BRIDGE_TRANSPORT=virtual` (or `--transport virtual`) reads
 * the card file `BRIDGE_VIRTUAL_CARD` / `--card` in this process. Handed to the bridge by the developer
 * command `cie-bridge-virtual`, the demo and the tests; the production `cie-bridge` never loads it.
 */
export const VIRTUAL_CARD_TERMINALS: CardTerminals = {
  ...PCSC_TERMINALS,
  virtual: async (config) => new CardFileTerminal(config.virtualCard),
};
