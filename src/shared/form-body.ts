import type { Context } from 'koa';
import { CodedError } from './coded-error.js';

export class RequestBodyError extends CodedError<'body_too_large' | 'unsupported_media_type' | 'body_unreadable'> {}

/**
 * Reads an application/x-www-form-urlencoded body of at most `limitBytes`. Our forms are tiny and
 * a koa body-parser dependency would add far more surface than these lines (the limit is the point).
 */
export async function readForm(ctx: Context, limitBytes: number): Promise<URLSearchParams> {
  return new URLSearchParams(await readFormText(ctx, limitBytes));
}

/** The raw text of an application/x-www-form-urlencoded body of at most `limitBytes`. */
export function readFormText(ctx: Context, limitBytes: number): Promise<string> {
  return readBodyText(ctx, 'application/x-www-form-urlencoded', limitBytes);
}

/** The raw text of a body of `mediaType` and at most `limitBytes`, never read further than the limit. */
export async function readBodyText(ctx: Context, mediaType: string, limitBytes: number): Promise<string> {
  if (!ctx.is(mediaType)) {
    throw new RequestBodyError('unsupported_media_type', `expected an ${mediaType} body`);
  }
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limitBytes) throw new RequestBodyError('body_too_large', `body larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) {
        ctx.req.destroy();
        throw new RequestBodyError('body_too_large', `body larger than ${limitBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof RequestBodyError) throw error;
    throw new RequestBodyError('body_unreadable', 'request body could not be read', {}, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
