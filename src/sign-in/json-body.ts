import type { Context } from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { readBodyText, RequestBodyError } from '../shared/form-body.js';

/** The apps' JSON bodies are small (a card assertion is at most 16 KiB); anything bigger or not an object is refused. */
export const MAX_APP_BODY_BYTES = 20 * 1024;

/** A JSON body that is too big, not JSON, or not an object: each room answers it as its `malformed_request`. */
export class JsonBodyError extends CodedError<'malformed_request'> {}

export async function readJsonObject(ctx: Context, limitBytes = MAX_APP_BODY_BYTES): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBodyText(ctx, 'application/json', limitBytes);
  } catch (error) {
    if (error instanceof RequestBodyError) throw new JsonBodyError('malformed_request', error.message);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonBodyError('malformed_request', 'body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JsonBodyError('malformed_request', 'body is not a JSON object');
  return value as Record<string, unknown>;
}
