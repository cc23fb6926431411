import { AssertionError } from './assertion-error.js';

// Major version 1 is required; any minor version is compatible (docs/assertion.md).
const SUPPORTED_FORMAT = /^cie-assertion:1(\.\d{1,4})?$/;

export function checkFormat(format: string): void {
  if (!SUPPORTED_FORMAT.test(format)) throw new AssertionError('unsupported_format', 'unsupported assertion format');
}
