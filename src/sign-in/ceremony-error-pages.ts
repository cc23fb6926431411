import { CredentialsError } from '../credentials/credentials-error.js';
import { typedErrorPages } from '../shared/errors/typed-error-pages.js';
import { RequestBodyError } from '../shared/form-body.js';
import { SignInError } from './sign-in-error.js';

/** The pages of a ceremony (password, passkey, the app's QR): a refused body or a credentials refusal by its code, a ceremony that names no live sign-in as an unknown challenge. */
export const ceremonyErrorPages = typedErrorPages([
  { type: RequestBodyError },
  { type: CredentialsError },
  { type: SignInError, shownAs: 'challenge_unknown' },
]);
