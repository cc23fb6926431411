import { CodedError } from '../shared/coded-error.js';

/**
 * A sign-in that cannot go on: a binding naming a waiter nobody registered, or a cancel/assertion
 * whose challenge is unknown (expired, already used, never issued).
 */
export class SignInError extends CodedError<'unknown_waiter' | 'challenge_unknown'> {}
