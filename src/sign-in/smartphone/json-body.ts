import type { Context } from 'koa';
import { readBodyText, RequestBodyError } from '../../shared/form-body.js';
import { SmartphoneError } from './smartphone-error.js';

/** The app's JSON bodies are small (the assertion is at most 16 KiB); anything bigger or not an object is refused. */
export const MAX_APP_BODY_BYTES = 20 * 1024;

export async function readJsonObject(ctx: Context, limitBytes = MAX_APP_BODY_BYTES): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBodyText(ctx, 'application/json', limitBytes);
  } catch (error) {
    if (error instanceof RequestBodyError) throw new SmartphoneError('malformed_request', error.message);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SmartphoneError('malformed_request', 'body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SmartphoneError('malformed_request', 'body is not a JSON object');
  return value as Record<string, unknown>;
}
