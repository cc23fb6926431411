import { parseArgs } from 'node:util';
import type { BridgeConfig } from '../../config/config.js';
import { CliError } from './cli-error.js';

export type CliCommand = 'serve' | 'status' | 'pin-change' | 'pin-unblock' | 'help';

export interface CliOptions {
  command: CliCommand;
  lang?: string;
  transport?: BridgeConfig['transport'];
  card?: string;
  deviceKeys?: string;
  reader?: string;
  pinPrompt: boolean;
}

const COMMANDS: Record<string, CliCommand> = {
  serve: 'serve',
  status: 'status',
  'pin change': 'pin-change',
  'pin unblock': 'pin-unblock',
  help: 'help',
};

/**
 * Throws CliError('usage') for anything that is not one of the documented command lines. The messages never
 * repeat what was typed: a citizen may well put the PIN on the command line.
 */
export function parseCliArgs(args: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        lang: { type: 'string' },
        transport: { type: 'string' },
        card: { type: 'string' },
        'device-keys': { type: 'string' },
        reader: { type: 'string' },
        'pin-prompt': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // node:util's own text is English and may repeat what was typed: only the kind of problem is kept.
    throw new CliError('usage', 'unknown or malformed option', { problem: 'bad_option' }, { cause: error });
  }
  const { values, positionals } = parsed;
  const command = values.help ? 'help' : COMMANDS[positionals.join(' ')];
  if (!command) throw new CliError('usage', positionals.length ? 'unknown command' : 'missing command', { problem: positionals.length ? 'unknown_command' : 'missing_command' });
  if (values['pin-prompt'] && command !== 'status') throw new CliError('usage', '--pin-prompt only applies to "status"', { problem: 'pin_prompt_scope' });
  if (values.transport !== undefined && values.transport !== 'pcsc' && values.transport !== 'virtual') {
    throw new CliError('usage', '--transport must be pcsc or virtual', { problem: 'transport' });
  }
  return {
    command,
    lang: values.lang,
    transport: values.transport as CliOptions['transport'],
    card: values.card,
    deviceKeys: values['device-keys'],
    reader: values.reader,
    pinPrompt: values['pin-prompt'],
  };
}
