import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys, type DeviceAuthKeys } from '../card/index.js';
import type { BridgeConfig } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { type CardTerminals, PCSC_TERMINALS } from './card-terminals.js';

/**
 * The reader the settings name, among the ways this program knows (PC/SC unless it was handed others).
 * A transport it was not given is a configuration error that says where that transport lives.
 */
export async function openTerminal(config: BridgeConfig, terminals: CardTerminals = PCSC_TERMINALS): Promise<CardTerminal> {
  const open = terminals[config.transport];
  if (!open) throw new ConfigError('invalid_config', `BRIDGE_TRANSPORT=${config.transport} is not part of this program: the virtual card is in the developer command cie-bridge-virtual`);
  return open(config);
}

export async function readDeviceAuthKeys(path: string): Promise<DeviceAuthKeys> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('invalid_config', `cannot read the device-authentication keys ${path}: ${(error as Error).message}`);
  }
  return parseDeviceAuthKeys(json);
}
