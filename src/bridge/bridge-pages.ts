import type { Context } from 'koa';
import { countErrorPage } from '../observability/bridge-metrics.js';
import { errorStatus, type ErrorParams } from '../shared/errors/error-table.js';
import { renderPage } from '../shared/html.js';
import type { Language } from '../shared/language.js';
import { bridgeErrorText } from './bridge-error-text.js';
import { bridgeMessages } from './messages.js';
import type { PendingRequest } from './pending-requests.js';

/** Where the provider explains lost codes (PAGES, issue 16): on the provider, in the page's language. */
export const LOST_CODES_PATH = '/help/lost-codes';

/** A sign-in the page belongs to: "Torna al servizio" cancels it at its provider. */
export interface SignInLink {
  origin: string;
  challenge: string;
  requestId: string;
}

export function signInLink(request: PendingRequest): SignInLink {
  return { origin: request.origin, challenge: Buffer.from(request.challenge).toString('base64url'), requestId: request.id };
}

export interface BridgePageOptions {
  status?: number;
  /** The sign-in this page belongs to, if any: adds "Torna al servizio" and allows its form. */
  signIn?: SignInLink | undefined;
  /** The provider whose help pages we link to (the sign-in's, else the first allowed origin). */
  helpOrigin: string;
  /** Offer the other language on this same URL (GET pages only). */
  switchable?: boolean;
  /** The page's script fetches from the bridge (the progress page polls the card's status). */
  connectToSelf?: boolean;
}

/** The same URL in the other language. */
function switchUrl(ctx: Context, language: Language): string {
  const query = new URLSearchParams(ctx.querystring);
  query.set('lang', language === 'it' ? 'en' : 'it');
  return `${ctx.path}?${query.toString()}`;
}

/** Renders a bridge view with what every bridge page carries: language, messages, help link, back form. */
export async function renderBridgePage(ctx: Context, view: string, language: Language, data: Record<string, unknown>, options: BridgePageOptions): Promise<void> {
  const helpOrigin = options.signIn?.origin ?? options.helpOrigin;
  await renderPage(ctx, `bridge/${view}`, {
    lang: language,
    m: bridgeMessages(language),
    switchUrl: options.switchable ? switchUrl(ctx, language) : undefined,
    lostCodesUrl: helpOrigin ? `${helpOrigin}${LOST_CODES_PATH}?lang=${language}` : undefined,
    signIn: options.signIn,
    notice: undefined,
    noticeCode: undefined,
    ...data,
  }, { status: options.status ?? 200, formActions: options.signIn ? [options.signIn.origin] : [], connectToSelf: options.connectToSelf ?? false });
}

/** The page that only says what went wrong, in the error table's words, with its status unless given. */
export async function renderMessagePage(ctx: Context, code: string, language: Language, options: BridgePageOptions, params: ErrorParams = {}): Promise<void> {
  countErrorPage(code);
  await renderBridgePage(ctx, 'message', language, { code, message: bridgeErrorText(code, language, params) }, { ...options, status: options.status ?? errorStatus(code) });
}
