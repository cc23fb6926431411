import type { Context } from 'koa';
import { CodedError } from '../../../shared/coded-error.js';
import { bridgeErrorText, triesLeftOf } from '../../bridge-error-text.js';
import { renderBridgePage, renderMessagePage } from '../../bridge-pages.js';
import type { BridgeState } from '../../bridge-state.js';
import { type CardPageContext, cardPageContext } from './card-page-context.js';
import { codeErrors, type FieldErrors, newPinErrors } from './new-pin-errors.js';
import { ownForm } from './own-form.js';

/** The unblock form drawn again, with its errors and what is known of the PUK tries. */
type Again = (errors: FieldErrors, pukLeft: number | undefined, status?: number, pukUnknown?: boolean) => Promise<void>;

/**
 * `POST /pin/unblock`: the card checks the PUK and sets the new PIN. Before the last PUK try (or when the
 * card gives no count) the citizen must tick that a wrong one blocks the card for good.
 */
export async function unblockPin(ctx: Context, state: BridgeState): Promise<void> {
  const form = await ownForm(ctx, state, 'pin-unblock');
  if (!form) return;
  const page = cardPageContext(ctx, state, form.get('request') ?? '');
  const { language, m, options, requestId } = page;
  const again: Again = (errors, pukLeft, status = 400, pukUnknown = false) =>
    renderBridgePage(ctx, 'pin-unblock', language, { token: state.tokens.issue('pin-unblock'), requestId, errors, pukLeft, pukUnknown }, { ...options, status });
  const puk = form.get('puk') ?? '';
  const next = form.get('next') ?? '';
  const errors = { ...codeErrors('puk', puk, 'invalid_puk_format', language), ...newPinErrors(language, next, form.get('again') ?? '') };
  if (Object.keys(errors).length > 0) return again(errors, undefined);
  try {
    if (form.get('confirm_last') !== 'yes' && (await refusedBeforeLastTry(ctx, state, page, again))) return;
    await state.deps.pins.unblockPin(puk, next);
  } catch (error) {
    return cardRefused(ctx, page, again, error);
  }
  await renderBridgePage(ctx, 'done', language, { code: 'pin_unblocked', message: m.pinUnblocked, requestId }, options);
}

/** Asks for the confirmation when the next wrong PUK may be the last; true when it answered instead of trying. */
async function refusedBeforeLastTry(ctx: Context, state: BridgeState, page: CardPageContext, again: Again): Promise<boolean> {
  const { puk: pukLeft } = await state.deps.pins.readTriesLeft();
  if (pukLeft === 1) await again({ confirm_last: page.m.lastPukNeedsConfirm }, 1, 409);
  // A card that gives no count may be at its last try too (a real CIE's answer to the empty VERIFY is unverified).
  else if (pukLeft === undefined) await again({ confirm_last: page.m.unknownPukNeedsConfirm }, undefined, 409, true);
  else if (pukLeft === 0) await renderMessagePage(ctx, 'puk_blocked', page.language, page.options);
  else return false;
  return true;
}

/** A wrong PUK shows the tries left on the PUK field; other card failures show on the form. */
async function cardRefused(ctx: Context, page: CardPageContext, again: Again, error: unknown): Promise<void> {
  if (!(error instanceof CodedError)) throw error;
  if (error.code === 'puk_blocked') return renderMessagePage(ctx, error.code, page.language, page.options);
  const params = triesLeftOf(error.details);
  const text = bridgeErrorText(error.code, page.language, params);
  if (error.code === 'wrong_puk') return again({ puk: text }, params.triesLeft, 400);
  return again({ card: text }, undefined, 409);
}
