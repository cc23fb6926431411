import type { Language } from '../../shared/language.js';
import { parseCliArgs } from './cli-args.js';
import { cliBridgeConfig } from './cli-config.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { cliLanguage } from './cli-language.js';
import { cliMessages } from './cli-messages.js';
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
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs one `cie-bridge` command line; resolves with the process exit code and never throws. */
export async function runCli(args: string[], { io, env, waitForStop }: CliEnvironment): Promise<number> {
  let language: Language = 'it';
  try {
    language = cliLanguage(undefined, env);
    const options = parseCliArgs(args);
    language = cliLanguage(options.lang, env);
    if (options.command === 'help') {
      io.print(cliMessages(language).usage);
      return EXIT_OK;
    }
    const context = { io, language, options, config: cliBridgeConfig(options, env) };
    switch (options.command) {
      case 'serve':
        await serve(context, waitForStop);
        break;
      case 'status':
        await status(context);
        break;
      case 'pin-change':
        await pinChange(context);
        break;
      case 'pin-unblock':
        await pinUnblock(context);
        break;
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliError && error.code === 'usage') {
      const m = cliMessages(language);
      io.warn(cliErrorText('usage', language, { detail: m.usageProblems[String(error.details.problem)] ?? m.usageProblems.unknown_command! }));
      io.warn(m.usage);
      return EXIT_USAGE;
    }
    io.warn(describeFailure(error, language));
    return EXIT_FAILURE;
  }
}
