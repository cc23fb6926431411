import type { DeviceAuthKeys } from '../../card/index.js';
import type { BridgeConfig } from '../../config/config.js';
import type { CardTerminal } from '../../transport/card-transport.js';
import { CardAccess } from '../card-access.js';
import { openTerminal, readDeviceAuthKeys } from '../open-terminal.js';
import { CliError } from './cli-error.js';

export interface CardSession {
  terminal: CardTerminal;
  cards: CardAccess;
}

/** The configured reader (PC/SC or the virtual card file) with the device keys every secure session needs. */
export async function openCardAccess(config: BridgeConfig): Promise<CardSession> {
  const keys = await deviceKeys(config.deviceAuthKeys);
  const terminal = await openTerminal(config);
  return { terminal, cards: new CardAccess(terminal, keys, config.readerName) };
}

async function deviceKeys(path: string): Promise<DeviceAuthKeys> {
  try {
    return await readDeviceAuthKeys(path);
  } catch (cause) {
    throw new CliError('device_keys_unreadable', `cannot use the device-authentication keys ${path}`, { path }, { cause });
  }
}
