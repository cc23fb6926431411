import { CardError } from '../../../card/index.js';
import { ConfigError } from '../../../config/config.js';
import { openTerminal } from '../../open-terminal.js';
import { type RunningBridge, startBridge } from '../../start-bridge.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { cliMessages } from '../cli-messages.js';

/** `cie-bridge serve`: the loopback bridge until `waitForStop` resolves (SIGINT/SIGTERM in the real CLI). */
export async function serve({ io, language, config, terminals }: CommandContext, waitForStop: () => Promise<void>): Promise<void> {
  const m = cliMessages(language);
  const terminal = await openTerminal(config, terminals);
  let bridge: RunningBridge;
  try {
    bridge = await startBridge(config, terminal);
  } catch (error) {
    await terminal.close();
    throw startFailure(error, config.deviceAuthKeys, config.port);
  }
  io.print(m.listening(bridge.url));
  try {
    await waitForStop();
  } finally {
    await bridge.close();
  }
  io.print(m.stopped);
}

/** startBridge reads the device keys (ConfigError, CardError) and binds the port; name what went wrong. */
function startFailure(error: unknown, deviceKeysPath: string, port: number): unknown {
  if (error instanceof ConfigError || (error instanceof CardError && error.code === 'invalid_device_keys')) {
    return new CliError('device_keys_unreadable', `cannot use the device-authentication keys ${deviceKeysPath}`, { path: deviceKeysPath }, { cause: error });
  }
  if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    return new CliError('port_in_use', `port ${port} is in use`, { port }, { cause: error });
  }
  return error;
}
