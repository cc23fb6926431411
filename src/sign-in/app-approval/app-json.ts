import type { Context } from 'koa';
import { AppFactorError } from '../../credentials/app-factor-error.js';
import { errorMessage, errorStatus } from '../../shared/errors/error-table.js';
import { requestLanguage } from '../../shared/request-language.js';
import { JsonBodyError } from '../json-body.js';

/** The app keeps no cookie: its language is Accept-Language (or `?lang=`). */
export const appLanguage = (ctx: Context) => requestLanguage(ctx, undefined, { cookie: false });

/** A refusal the app understands (docs/app-protocol.md): `{ error, message }`, the error table's status and words. */
export class AppCallError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Runs one app endpoint: never cached; every typed refusal is the JSON `{ error, message }` with the
 * table's status; anything unexpected is not caught here (the storage outage is the guard's 503 JSON).
 */
export async function answeringApp(ctx: Context, work: () => Promise<void>): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  try {
    await work();
  } catch (error) {
    const code = error instanceof AppFactorError || error instanceof JsonBodyError || error instanceof AppCallError ? error.code : undefined;
    if (!code) throw error;
    answerAppError(ctx, code);
  }
}

export function answerAppError(ctx: Context, code: string, retryAfterSeconds?: number): void {
  ctx.set('Cache-Control', 'no-store');
  if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));
  ctx.status = errorStatus(code);
  ctx.body = { error: code, message: errorMessage(code, appLanguage(ctx)) };
}
