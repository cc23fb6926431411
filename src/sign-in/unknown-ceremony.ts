import type { Context } from 'koa';
import { renderErrorPage } from '../shared/errors/render-error-page.js';
import type { Language } from '../shared/language.js';

/** A ceremony id unknown, expired, used, or opened by another browser: one answer for all (nothing told about which). */
export function unknownCeremony(ctx: Context, language: Language): Promise<void> {
  return renderErrorPage(ctx, { code: 'challenge_unknown', language });
}
