import { type BridgeConfig, loadBridgeConfig } from '../../config/config.js';
import type { CliOptions } from './cli-args.js';
import { CliError } from './cli-error.js';

/** The bridge settings from the environment, with the command line's choices on top. */
export function cliBridgeConfig(options: CliOptions, env: Readonly<Record<string, string | undefined>>): BridgeConfig {
  const config = loadBridgeConfig(env);
  const merged: BridgeConfig = {
    ...config,
    transport: options.transport ?? config.transport,
    virtualCard: options.card ?? config.virtualCard,
    deviceAuthKeys: options.deviceKeys ?? config.deviceAuthKeys,
    readerName: options.reader ?? config.readerName,
  };
  if (options.card !== undefined && merged.transport !== 'virtual') throw new CliError('usage', '--card needs --transport virtual');
  return merged;
}
