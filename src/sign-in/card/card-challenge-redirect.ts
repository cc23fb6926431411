import type { Context } from 'koa';
import type { ChallengeStore } from '../../cie/challenge-store.js';

export interface CardChallengeTarget {
  challenges: ChallengeStore;
  /** The provider's origin: what the card signs and where the bridge posts the assertion. */
  origin: string;
  bridgeUrl: string;
}

/**
 * "Entra con CIE": issues a card challenge bound to `boundTo` (an interaction, or an account-page
 * sign-in) and sends the browser to the bridge's PIN page with it.
 */
export async function redirectToBridge(ctx: Context, target: CardChallengeTarget, boundTo: string, lang: string): Promise<void> {
  const record = await target.challenges.issue(boundTo, target.origin);
  const url = new URL('/login', target.bridgeUrl);
  url.search = new URLSearchParams({ origin: target.origin, challenge: record.challenge, lang }).toString();
  ctx.status = 303;
  ctx.redirect(url.href);
}
