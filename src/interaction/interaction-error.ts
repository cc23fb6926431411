import { CodedError } from '../shared/coded-error.js';

/** The interaction cannot go on: its cookie is gone or names another one, a ticket is unknown, the step is not pending. */
export class InteractionError extends CodedError<'session_expired' | 'challenge_unknown' | 'wrong_prompt'> {}
