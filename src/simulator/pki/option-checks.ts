import { PkiError } from './pki-error.js';

export function assertWholeSeconds(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new PkiError('PKI_INVALID_OPTION', `${name} must be a whole number of seconds >= 0`);
  }
}
