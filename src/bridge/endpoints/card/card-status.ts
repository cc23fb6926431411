import type { Context } from 'koa';
import { renderBridgePage } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { cardPageContext, PIN_TRIES, PUK_TRIES, readTries } from './card-page-context.js';

/** `GET /`: "La tua CIE", the PIN and PUK tries left, or why the card cannot be read. */
export async function cardStatus(ctx: Context, state: BridgeState): Promise<void> {
  const { language, m, options, requestId } = cardPageContext(ctx, state, queryText(ctx, 'request'));
  // Reading the card is a card session: only the citizen's own page load starts one, not an image or frame of another site.
  if (!isTopLevelNavigation(ctx)) return renderBridgePage(ctx, 'message', language, { code: 'not_a_navigation', message: m.badRequest }, { ...options, status: 403 });
  const { tries, problem } = await readTries(state, m);
  await renderBridgePage(ctx, 'card', language, { tries, problem, requestId, pinTotal: PIN_TRIES, pukTotal: PUK_TRIES }, { ...options, switchable: true });
}
