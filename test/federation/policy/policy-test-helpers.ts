import { FederationError, type FederationErrorCode } from '../../../src/federation/federation-error.js';

/** The code of the FederationError `action` throws; fails the test when it throws anything else or nothing. */
export function codeOf(action: () => unknown): FederationErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof FederationError) return error.code;
    throw error;
  }
  throw new Error('expected a FederationError, nothing was thrown');
}
