import { errorMessage } from '../shared/errors/error-table.js';
import type { Language } from '../shared/language.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { SignInOutcome } from '../sign-in/sign-in-outcome.js';

/** The citizen's words for a failed sign-in: the failing method's own (a cancel, a refused card…). */
export function failureText(methods: readonly SignInMethod[], outcome: Extract<SignInOutcome, { kind: 'failure' }>, lang: Language): string {
  const method = methods.find((candidate) => candidate.id === outcome.method);
  return method ? method.failureMessage(outcome.code, lang) : errorMessage(outcome.code, lang, { surface: 'account' });
}
