import type { CodedError } from '../shared/coded-error.js';

// What the simulator's command-line tools (cie-pki, cie-federation, cie-card) share: exit codes, the
// usage error, and turning an error that escapes a command into its exit code.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when `serve` should stop (SIGINT/SIGTERM in the real CLI). */
  waitForShutdown(): Promise<void>;
}

/** A command line that is not one the tool knows: exit 2 with the usage text. */
export class UsageError extends Error {}

/** A UsageError, or one of node:util parseArgs's own (unknown option, missing value: ERR_PARSE_ARGS_*). */
export function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * Runs one command and returns its exit code; never throws. A usage error prints the message and the
 * usage text (exit 2); an error of the tool's own coded class prints its stable code (exit 1).
 */
export async function runCommand(
  name: string,
  usage: string,
  ownError: abstract new (...args: never[]) => CodedError,
  command: () => Promise<number>,
  io: Pick<CliIo, 'err'>,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`${name}: ${error.message}`);
      io.err(usage);
      return EXIT_USAGE;
    }
    io.err(`${name}: ${error instanceof ownError ? `${error.message} [${error.code}]` : String(error)}`);
    return EXIT_FAILURE;
  }
}
