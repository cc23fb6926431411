import { errorMessage, type ErrorParams } from '../shared/errors/error-table.js';
import type { Language } from '../shared/language.js';

/** What the citizen reads on a bridge page for an error code: the error table's bridge wording. */
export function bridgeErrorText(code: string, language: Language, params: ErrorParams = {}): string {
  return errorMessage(code, language, { surface: 'bridge', params });
}

/** Tries left as the table's messages take them: a number the card gave, or nothing. */
export function triesLeftOf(details: Record<string, unknown>): ErrorParams {
  return { triesLeft: typeof details.triesLeft === 'number' ? details.triesLeft : undefined };
}
