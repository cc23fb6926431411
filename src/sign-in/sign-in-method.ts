import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Language } from '../shared/language.js';
import type { SignInBinding } from './sign-in-binding.js';
import type { SignInMethodId } from './verified-citizen.js';

/**
 * A way to sign in (the card, the smartphone, passwords, passkeys, the CieID app's QR). A waiter (the
 * OIDC interaction, the account page) lists the methods that satisfy what it needs, starts one
 * with its binding, and redeems the outcome's ticket (CompletionTickets) at its own completion path
 * (SignInWaiter). Adding a method adds one of these to the composition; it never touches another method.
 */
export interface SignInMethod {
  readonly id: SignInMethodId;
  /** The level the method reaches (1 password, 2 two factors, 3 the card): the login page offers it for requests it satisfies. */
  readonly level: 1 | 2 | 3;
  /** The segment naming the method in a waiter's start path (the card: `cie`, as in `POST /interaction/:uid/cie`). */
  readonly pathName: string;
  /** The login page's entry for this method: a view under views/sign-in/, rendered with `{ startPath, m, lang, assets }`. */
  readonly choiceView: string;
  /**
   * Starts the method for a waiter (the POST behind its button): a redirect or a page of the method's own.
   * The waiter's start endpoint has already counted it in the per-network window (network-limit.ts).
   */
  start(ctx: Context, binding: SignInBinding, language: Language): Promise<void>;
  /** Whether a failed sign-in of this binding may be tried again ("Riprova"); default yes. */
  mayRetry?(binding: SignInBinding): Promise<boolean>;
  /** The citizen's words for one of the method's failure codes. */
  failureMessage(code: string, language: Language): string;
  /** The method's own endpoints (the card's assertion POST, …), mounted once by the composition. */
  readonly routes: Router;
}
