import type { BridgeConfig } from '../../config/config.js';
import type { Language } from '../../shared/language.js';
import type { CardTerminals } from '../card-terminals.js';
import type { CliOptions } from './cli-args.js';
import type { CliIo } from './cli-io.js';

/** What every command gets: where to talk to the citizen, in which language, the bridge settings and the readers it may open. */
export interface CommandContext {
  io: CliIo;
  language: Language;
  config: BridgeConfig;
  options: CliOptions;
  terminals: CardTerminals;
}
