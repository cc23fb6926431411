import type { Language } from '../../shared/language.js';
import { type CardTerminals, PCSC_TERMINALS } from '../card-terminals.js';
import { type CliCommand, parseCliArgs } from './cli-args.js';
import { cliBridgeConfig } from './cli-config.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { cliLanguage } from './cli-language.js';
import { cliMessages } from './cli-messages.js';
import type { CommandContext } from './command-context.js';
import { pinChange } from './commands/pin-change.js';
import { pinUnblock } from './commands/pin-unblock.js';
import { serve } from './commands/serve.js';
import { status } from './commands/status.js';
import { cliErrorText, describeFailure } from './describe-failure.js';

export interface CliEnvironment {
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  /** `serve` runs until this resolves. */
  waitForStop: () => Promise<void>;
  /** The readers this program may open: PC/SC unless a developer entry or a test hands in the virtual card. */
  terminals?: CardTerminals;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

type Command = (context: CommandContext, waitForStop: () => Promise<void>) => Promise<void>;

const COMMANDS: Record<Exclude<CliCommand, 'help'>, Command> = {
  serve,
  status,
  'pin-change': pinChange,
  'pin-unblock': pinUnblock,
};

/** Runs one `cie-bridge` command line; resolves with the process exit code and never throws. */
export async function runCli(args: string[], { io, env, waitForStop, terminals = PCSC_TERMINALS }: CliEnvironment): Promise<number> {
  let language: Language = 'it';
  try {
    language = cliLanguage(undefined, env);
    const options = parseCliArgs(args);
    language = cliLanguage(options.lang, env);
    if (options.command === 'help') {
      io.print(cliMessages(language).usage);
      return EXIT_OK;
    }
    await COMMANDS[options.command]({ io, language, options, terminals, config: cliBridgeConfig(options, env) }, waitForStop);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(io, language, error);
  }
}

/** A wrong command line: exit 2 with the usage text; anything else: exit 1 with what went wrong. */
function reportFailure(io: CliIo, language: Language, error: unknown): number {
  if (error instanceof CliError && error.code === 'usage') {
    const m = cliMessages(language);
    io.warn(cliErrorText('usage', language, { detail: m.usageProblems[String(error.details.problem)] ?? m.usageProblems.unknown_command! }));
    io.warn(m.usage);
    return EXIT_USAGE;
  }
  io.warn(describeFailure(error, language));
  return EXIT_FAILURE;
}
