import type { Context } from 'koa';
import type { ChallengeStore } from '../../cie/challenge-store.js';
import { bindingKey } from '../binding-key.js';
import type { SignInBinding } from '../sign-in-binding.js';

export interface CardChallengeTarget {
  challenges: ChallengeStore;
  /** The provider's origin: what the card signs and where the bridge posts the assertion. */
  origin: string;
  bridgeUrl: string;
}

/** Issues a card challenge bound to the waiter's binding and sends the browser to the bridge's PIN page with it. */
export async function redirectToBridge(ctx: Context, target: CardChallengeTarget, binding: SignInBinding, lang: string): Promise<void> {
  const record = await target.challenges.issue(bindingKey(binding), target.origin);
  const url = new URL('/login', target.bridgeUrl);
  url.search = new URLSearchParams({ origin: target.origin, challenge: record.challenge, lang }).toString();
  ctx.status = 303;
  ctx.redirect(url.href);
}
