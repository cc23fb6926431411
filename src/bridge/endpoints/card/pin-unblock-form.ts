import type { Context } from 'koa';
import { renderBridgePage } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { cardPageContext, readTries } from './card-page-context.js';

/** `GET /pin/unblock`: PUK, new PIN twice, and the PUK tries left (read from the card, so top-level loads only). */
export async function pinUnblockForm(ctx: Context, state: BridgeState): Promise<void> {
  const { language, m, options, requestId } = cardPageContext(ctx, state, queryText(ctx, 'request'));
  if (!isTopLevelNavigation(ctx)) return renderBridgePage(ctx, 'message', language, { code: 'not_a_navigation', message: m.badRequest }, { ...options, status: 403 });
  const { tries } = await readTries(state, m);
  const data = { token: state.tokens.issue('pin-unblock'), requestId, errors: {}, pukLeft: tries?.puk, pukUnknown: tries !== undefined && tries.puk === undefined };
  await renderBridgePage(ctx, 'pin-unblock', language, data, { ...options, switchable: true });
}
