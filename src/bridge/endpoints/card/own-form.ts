import type { Context } from 'koa';
import { readForm } from '../../../shared/form-body.js';
import { requestLanguage } from '../../../shared/request-language.js';
import { renderMessagePage } from '../../bridge-pages.js';
import type { BridgeState } from '../../bridge-state.js';
import { isOwnOrigin } from '../../loopback-guard.js';

const FORM_LIMIT = 2048;

/**
 * The posted form of a card page, or undefined after answering 403 to what did not come from our own
 * page: another origin, or a missing or stale form token.
 */
export async function ownForm(ctx: Context, state: BridgeState, purpose: string): Promise<URLSearchParams | undefined> {
  const language = requestLanguage(ctx, undefined, { cookie: false });
  const options = { helpOrigin: state.deps.allowedOrigins[0] ?? '' };
  if (!isOwnOrigin(ctx.get('origin'), state.deps.port())) {
    await renderMessagePage(ctx, 'forbidden_origin', language, options);
    return undefined;
  }
  const form = await readForm(ctx, FORM_LIMIT);
  if (!state.tokens.valid(purpose, form.get('token') ?? '')) {
    await renderMessagePage(ctx, 'bad_form_token', language, options);
    return undefined;
  }
  return form;
}
