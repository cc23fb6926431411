import type { Context } from 'koa';
import { readForm } from '../../../shared/form-body.js';
import { renderBridgePage } from '../../bridge-pages.js';
import { type BridgeState, languageOf } from '../../bridge-state.js';
import { isOwnOrigin } from '../../loopback-guard.js';
import { bridgeMessages } from '../../messages.js';

const FORM_LIMIT = 2048;

/**
 * The posted form of a card page, or undefined after answering 403 to what did not come from our own
 * page: another origin, or a missing or stale form token.
 */
export async function ownForm(ctx: Context, state: BridgeState, purpose: string): Promise<URLSearchParams | undefined> {
  const language = languageOf(ctx);
  const m = bridgeMessages(language);
  const options = { helpOrigin: state.deps.allowedOrigins[0] ?? '', status: 403 };
  if (!isOwnOrigin(ctx.get('origin'), state.deps.port())) {
    await renderBridgePage(ctx, 'message', language, { code: 'forbidden_origin', message: m.badRequest }, options);
    return undefined;
  }
  const form = await readForm(ctx, FORM_LIMIT);
  if (!state.tokens.valid(purpose, form.get('token') ?? '')) {
    await renderBridgePage(ctx, 'message', language, { code: 'bad_form_token', message: m.expiredForm }, options);
    return undefined;
  }
  return form;
}
