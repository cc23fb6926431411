import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys, type DeviceAuthKeys } from '../card/index.js';
import type { BridgeConfig } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { CardTerminal } from '../transport/card-transport.js';
import { PcscTerminal } from '../transport/pcsc/pcsc-terminal.js';
import { CardFileTerminal } from '../simulator/virtual-bridge/card-file-terminal.js';

/**
 * The reader the bridge uses: PC/SC for real cards, or the virtual card file in this process (re-read
 * under the file's lock for every session, so the CLI and a running bridge can share it).
 */
export async function openTerminal(config: Pick<BridgeConfig, 'transport' | 'virtualCard' | 'apduTimeoutMs'>): Promise<CardTerminal> {
  if (config.transport === 'virtual') return new CardFileTerminal(config.virtualCard);
  return PcscTerminal.open({ timeoutMs: config.apduTimeoutMs });
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
