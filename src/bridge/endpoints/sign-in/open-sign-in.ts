import type { Context } from 'koa';
import { requestLanguage } from '../../../shared/request-language.js';
import { type BridgeState, queryText } from '../../bridge-state.js';
import { isTopLevelNavigation } from '../../loopback-guard.js';
import { pinPage, signInMessage } from './sign-in-answers.js';

/**
 * `GET /login?origin&challenge`: the PIN page for an allowed provider's challenge. Pages of other sites
 * can load this URL too, so only a top-level page load opens a sign-in, and a full table refuses rather
 * than evict a PIN page the citizen has open (docs/bridge.md).
 */
export async function openSignIn(ctx: Context, state: BridgeState): Promise<void> {
  const language = requestLanguage(ctx, undefined, { cookie: false });
  const origin = queryText(ctx, 'origin');
  const challengeText = queryText(ctx, 'challenge');
  if (!state.deps.allowedOrigins.includes(origin)) return signInMessage(ctx, state, undefined, 'origin_not_allowed', { params: { origin } });
  const challenge = Buffer.from(challengeText, 'base64url');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challengeText) || challenge.length !== 32) return signInMessage(ctx, state, undefined, 'bad_request');
  if (!isTopLevelNavigation(ctx)) return signInMessage(ctx, state, undefined, 'not_a_navigation');
  const request = state.pending.open(origin, challenge, language);
  if (!request) return signInMessage(ctx, state, undefined, 'too_many_open');
  await pinPage(ctx, state, request);
}
