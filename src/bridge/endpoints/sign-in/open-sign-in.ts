import type { Context } from 'koa';
import { type BridgeState, languageOf, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { bridgeMessages } from '../../messages.js';
import { pinPage, signInMessage } from './sign-in-answers.js';

/**
 * `GET /login?origin&challenge`: the PIN page for an allowed provider's challenge. Pages of other sites
 * can load this URL too, so only a top-level page load opens a sign-in, and a full table refuses rather
 * than evict a PIN page the citizen has open (docs/bridge.md).
 */
export async function openSignIn(ctx: Context, state: BridgeState): Promise<void> {
  const language = languageOf(ctx);
  const m = bridgeMessages(language);
  const origin = queryText(ctx, 'origin');
  const challengeText = queryText(ctx, 'challenge');
  if (!state.deps.allowedOrigins.includes(origin)) return signInMessage(ctx, state, undefined, 'origin_not_allowed', m.originNotAllowed(origin || '?'), 403);
  const challenge = Buffer.from(challengeText, 'base64url');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challengeText) || challenge.length !== 32) return signInMessage(ctx, state, undefined, 'bad_request', m.badRequest, 400);
  if (!isTopLevelNavigation(ctx)) return signInMessage(ctx, state, undefined, 'not_a_navigation', m.badRequest, 403);
  const request = state.pending.open(origin, challenge, language);
  if (!request) return signInMessage(ctx, state, undefined, 'too_many_open', m.tooManyOpen, 503);
  await pinPage(ctx, state, request);
}
