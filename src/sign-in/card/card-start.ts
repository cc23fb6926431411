import type { Context } from 'koa';
import type { Language } from '../../shared/language.js';
import { bindingKey } from '../binding-key.js';
import { answerRateLimited } from '../rate-limited-answer.js';
import type { SignInBinding } from '../sign-in-binding.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import { waiterLinks } from '../waiter-links.js';
import { redirectToBridge } from './card-challenge-redirect.js';
import { CARD_PATH_NAME, type CardSignInDeps } from './card-sign-in-deps.js';

/**
 * "Entra con CIE" for a waiter: a challenge bound to its binding, while the binding's limits allow
 * (challenges asked, refused assertions), and a 303 to the bridge's PIN page.
 */
export async function startCardSignIn(deps: CardSignInDeps, ctx: Context, binding: SignInBinding, lang: Language): Promise<void> {
  waiterOf(deps.waiters, binding);
  const key = bindingKey(binding);
  const { challengesPerInteraction, failuresPerInteraction } = deps.rateLimits;
  // One round trip: the failures so far, and this challenge counted. A challenge refused here is
  // never issued; one counted while storage then fails to keep the challenge costs one of ten.
  const [failures, challenges] = await Promise.all([failuresPerInteraction.peek(key), challengesPerInteraction.hit(key)]);
  const links = () => waiterLinks(deps.waiters, binding, CARD_PATH_NAME, false);
  if (!failures.allowed) return answerRateLimited(ctx, { code: 'too_many_failures', retryAfterSeconds: failures.retryAfterSeconds, links: links(), language: lang });
  if (!challenges.allowed) return answerRateLimited(ctx, { code: 'too_many_challenges', retryAfterSeconds: challenges.retryAfterSeconds, links: links(), language: lang });
  await redirectToBridge(ctx, deps, binding, lang);
}
