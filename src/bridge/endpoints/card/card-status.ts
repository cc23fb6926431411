import type { Context } from 'koa';
import { renderBridgePage, renderMessagePage } from '../../bridge-pages.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { cardPageContext, PIN_TRIES, PUK_TRIES, readTries } from './card-page-context.js';

/** `GET /`: "La tua CIE", the PIN and PUK tries left, or why the card cannot be read. */
export async function cardStatus(ctx: Context, state: BridgeState): Promise<void> {
  const page = cardPageContext(ctx, state, queryText(ctx, 'request'));
  const { language, options, requestId } = page;
  // Reading the card is a card session: only the citizen's own page load starts one, not an image or frame of another site.
  if (!isTopLevelNavigation(ctx)) return renderMessagePage(ctx, 'not_a_navigation', language, options);
  const { tries, problem } = await readTries(state, page);
  await renderBridgePage(ctx, 'card', language, { tries, problem, requestId, pinTotal: PIN_TRIES, pukTotal: PUK_TRIES }, { ...options, switchable: true });
}
