import type { Context } from 'koa';
import { renderPage } from '../html.js';
import type { Language } from '../language.js';
import { pageFrameMessages } from '../page-frame-messages.js';
import { errorPageMessages } from './error-page-messages.js';
import { errorMessage, errorStatus, errorTitle, type ErrorParams } from './error-table.js';

export interface ErrorPageOptions {
  /** A code of the error table; an unknown one gets the internal error's words (and is still shown). */
  code: string;
  language: Language;
  /** The table's status for the code unless given. */
  status?: number | undefined;
  params?: ErrorParams | undefined;
  /** Whose words: the provider's sign-in pages (default) or the account page (its own heading and wording). */
  surface?: 'pages' | 'account' | undefined;
  /** The code printed on the page when it is not the table's (the OAuth error the library raised). */
  shownCode?: string | undefined;
  /** A technical detail for the RP's developers (English, from the library), shown under the code. */
  detail?: string | undefined;
  /** "Riprova": a form posted to this path (e.g. the card step of the same interaction). */
  retry?: { action: string } | undefined;
  /** "Torna al servizio": a link to this path (e.g. the interaction's abort). */
  back?: { href: string } | undefined;
  /** The last allowed attempt was used: the message says to start again from the service. */
  lastAttempt?: boolean | undefined;
  /** Sets Retry-After (a limit's window, an outage's pause). */
  retryAfterSeconds?: number | undefined;
  /** Where the language switch leads when this page is the answer to a post or a one-time link. */
  languageSwitchPath?: string | undefined;
}

/**
 * The one error page of the provider (views/error.ejs): the table's message and status for the code,
 * in the frame every page wears. An error page never redirects: a Location a handler prepared is dropped.
 */
export async function renderErrorPage(ctx: Context, options: ErrorPageOptions): Promise<void> {
  const { code, language } = options;
  const words = errorPageMessages(language);
  const surface = options.surface ?? 'pages';
  const title = errorTitle(code, language) ?? (surface === 'account' ? words.accountErrorTitle : words.errorTitle);
  const message = errorMessage(code, language, { surface, params: options.params });
  ctx.remove('Location');
  if (options.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(options.retryAfterSeconds));
  await renderPage(ctx, 'error', {
    lang: language,
    m: { ...pageFrameMessages(language), ...words, errorTitle: title },
    title,
    assets: '/assets',
    code: options.shownCode ?? code,
    message: options.lastAttempt ? `${message} ${words.attemptsUsedUp}` : message,
    detail: options.detail,
    retryAction: options.retry?.action,
    backHref: options.back?.href,
  }, { status: options.status ?? errorStatus(code), ...(options.languageSwitchPath !== undefined ? { languageSwitchPath: options.languageSwitchPath } : {}) });
}
