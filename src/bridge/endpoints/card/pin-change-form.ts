import type { Context } from 'koa';
import { renderBridgePage } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { cardPageContext } from './card-page-context.js';

/** `GET /pin/change`: current PIN, new PIN twice (the form; nothing reaches the card yet). */
export async function pinChangeForm(ctx: Context, state: BridgeState): Promise<void> {
  const { language, options, requestId } = cardPageContext(ctx, state, queryText(ctx, 'request'));
  await renderBridgePage(ctx, 'pin-change', language, { token: state.tokens.issue('pin-change'), requestId, errors: {} }, { ...options, switchable: true });
}
