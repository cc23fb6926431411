import { ConfigError } from '../../config/config.js';
import { CodedError } from '../../shared/coded-error.js';
import { errorMessage, type ErrorParams, isErrorCode } from '../../shared/errors/error-table.js';
import type { Language } from '../../shared/language.js';

/**
 * What the citizen reads for a failed command: the error table's words for the error's code (its
 * command-line wording where it has one). Only codes and counters are used, never an error's message
 * text (apart from configuration errors, which name a setting), so a PIN or PUK cannot leak through here.
 */
export function describeFailure(error: unknown, language: Language): string {
  if (error instanceof ConfigError) return cliErrorText('invalid_config', language, { detail: error.message });
  if (!(error instanceof CodedError)) return `${cliErrorText('internal_error', language)} (${errorKind(error)})`;
  // A coded error the table does not know came from the card conversation: say so, as the card's own failures do.
  return cliErrorText(isErrorCode(error.code) ? error.code : 'card_error', language, paramsOf(error.details));
}

export function cliErrorText(code: string, language: Language, params: ErrorParams = {}): string {
  return errorMessage(code, language, { surface: 'cli', params });
}

/** The values a message may name, taken only when they have the expected type. */
function paramsOf(details: Record<string, unknown>): ErrorParams {
  const { triesLeft, path, port } = details;
  return {
    triesLeft: typeof triesLeft === 'number' ? triesLeft : undefined,
    path: typeof path === 'string' ? path : path === undefined ? '' : String(path),
    port: typeof port === 'number' ? port : undefined,
  };
}

/** Name and system code only (e.g. "Error ENOENT"): enough to report, and no free text that could carry input. */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.name} ${code}` : error.name;
}
