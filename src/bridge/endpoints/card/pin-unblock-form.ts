import type { Context } from 'koa';
import { renderBridgePage, renderMessagePage } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { cardPageContext, readTries } from './card-page-context.js';

/** `GET /pin/unblock`: PUK, new PIN twice, and the PUK tries left (read from the card, so top-level loads only). */
export async function pinUnblockForm(ctx: Context, state: BridgeState): Promise<void> {
  const page = cardPageContext(ctx, state, queryText(ctx, 'request'));
  const { language, options, requestId } = page;
  if (!isTopLevelNavigation(ctx)) return renderMessagePage(ctx, 'not_a_navigation', language, options);
  const { tries } = await readTries(state, page);
  const data = { token: state.tokens.issue('pin-unblock'), requestId, errors: {}, pukLeft: tries?.puk, pukUnknown: tries !== undefined && tries.puk === undefined };
  await renderBridgePage(ctx, 'pin-unblock', language, data, { ...options, switchable: true });
}
