import { typedErrorPages } from '../../shared/errors/typed-error-pages.js';
import { RequestBodyError } from '../../shared/form-body.js';
import { SignInError } from '../../sign-in/sign-in-error.js';
import { InteractionError } from '../interaction-error.js';

/** Every error of the interaction's endpoints as the error page: the interaction's and a refused body's by their code, a sign-in that cannot go on as an unknown challenge. */
export const errorPages = typedErrorPages([
  { type: InteractionError },
  { type: RequestBodyError },
  { type: SignInError, shownAs: 'challenge_unknown' },
]);
