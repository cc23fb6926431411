import { CodedError } from '../shared/coded-error.js';

/** `mail_unavailable`: the SMTP server refused or did not answer in time; trying later may work. */
export class MailError extends CodedError<'mail_unavailable'> {}
