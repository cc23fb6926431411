import type { DeviceAuthKeys } from '../../card/index.js';
import type { BridgeConfig } from '../../config/config.js';
import type { CardTerminal } from '../../transport/card-transport.js';
import type { CardTerminals } from '../card-terminals.js';
import { CardAccess } from '../card-access.js';
import { openTerminal, readDeviceAuthKeys } from '../open-terminal.js';
import { CliError } from './cli-error.js';

export interface CardSession {
  terminal: CardTerminal;
  cards: CardAccess;
}

/** The configured reader (among those this program was given) with the device keys every secure session needs. */
export async function openCardAccess(config: BridgeConfig, terminals: CardTerminals): Promise<CardSession> {
  const keys = await deviceKeys(config.deviceAuthKeys);
  const terminal = await openTerminal(config, terminals);
  return { terminal, cards: new CardAccess(terminal, keys, config.readerName) };
}

async function deviceKeys(path: string): Promise<DeviceAuthKeys> {
  try {
    return await readDeviceAuthKeys(path);
  } catch (cause) {
    throw new CliError('device_keys_unreadable', `cannot use the device-authentication keys ${path}`, { path }, { cause });
  }
}
