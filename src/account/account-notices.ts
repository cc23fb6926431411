import { errorMessage } from '../shared/errors/error-table.js';
import type { Language } from '../shared/language.js';

/** The line above the page's content: what just happened, or why nothing did (`data-code` for tests). */
export interface Notice {
  kind: 'ok' | 'error';
  code: string;
  text: string;
}

/** Why nothing happened, in the error table's words for the account page (it has no service to go back to). */
export function errorNotice(code: string, lang: Language, text = errorMessage(code, lang, { surface: 'account' })): Notice {
  return { kind: 'error', code, text };
}
