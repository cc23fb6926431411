import type { Context } from 'koa';
import { SmartphoneError } from './smartphone-error.js';

/** The app's JSON bodies are small (the assertion is at most 16 KiB); anything bigger or not an object is refused. */
export const MAX_APP_BODY_BYTES = 20 * 1024;

export async function readJsonObject(ctx: Context, limitBytes = MAX_APP_BODY_BYTES): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) throw new SmartphoneError('malformed_request', 'expected application/json');
  if (Number(ctx.get('content-length') || '0') > limitBytes) throw new SmartphoneError('malformed_request', 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      ctx.req.destroy();
      throw new SmartphoneError('malformed_request', 'body too large');
    }
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SmartphoneError('malformed_request', 'body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SmartphoneError('malformed_request', 'body is not a JSON object');
  return value as Record<string, unknown>;
}
