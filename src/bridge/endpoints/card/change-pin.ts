import type { Context } from 'koa';
import { CodedError } from '../../../shared/coded-error.js';
import { bridgeErrorText, triesLeftOf } from '../../bridge-error-text.js';
import { renderBridgePage, renderMessagePage } from '../../bridge-pages.js';
import type { BridgeState } from '../../bridge-state.js';
import { cardPageContext } from './card-page-context.js';
import { codeErrors, type FieldErrors, newPinErrors } from './new-pin-errors.js';
import { ownForm } from './own-form.js';

/** `POST /pin/change`: the card changes the PIN; a wrong current PIN shows the tries left on the same form. */
export async function changePin(ctx: Context, state: BridgeState): Promise<void> {
  const form = await ownForm(ctx, state, 'pin-change');
  if (!form) return;
  const { language, m, options, requestId } = cardPageContext(ctx, state, form.get('request') ?? '');
  const again = (errors: FieldErrors, status = 400) =>
    renderBridgePage(ctx, 'pin-change', language, { token: state.tokens.issue('pin-change'), requestId, errors }, { ...options, status });
  const current = form.get('current') ?? '';
  const next = form.get('next') ?? '';
  const errors = { ...codeErrors('current', current, 'invalid_pin_format', language), ...newPinErrors(language, next, form.get('again') ?? '') };
  if (Object.keys(errors).length > 0) return again(errors);
  try {
    await state.deps.pins.changePin(current, next);
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    if (error.code === 'pin_blocked') return renderBridgePage(ctx, 'blocked', language, { code: error.code, requestId }, { ...options, status: 409 });
    if (error.code === 'puk_blocked') return renderMessagePage(ctx, error.code, language, options);
    const text = bridgeErrorText(error.code, language, triesLeftOf(error.details));
    return again(error.code === 'wrong_pin' ? { current: text } : { card: text }, error.code === 'wrong_pin' ? 400 : 409);
  }
  await renderBridgePage(ctx, 'done', language, { code: 'pin_changed', message: m.pinChanged, requestId }, options);
}
