import { typedErrorPages } from '../../shared/errors/typed-error-pages.js';
import { RequestBodyError } from '../../shared/form-body.js';
import { SignInError } from '../sign-in-error.js';

/**
 * Errors of the card's own routes as pages, for no known sign-in (so no link back to one): an
 * unknown challenge or waiter (400), a refused body (413/415), our bug (500).
 */
export const cardErrorPages = typedErrorPages([
  { type: SignInError, shownAs: 'challenge_unknown' },
  { type: RequestBodyError },
]);
