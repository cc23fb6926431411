import type { Context } from 'koa';
import type { TriesLeft } from '../../../card/index.js';
import { CodedError } from '../../../shared/coded-error.js';
import type { Language } from '../../../shared/language.js';
import { requestLanguage } from '../../../shared/request-language.js';
import { bridgeErrorText } from '../../bridge-error-text.js';
import { type BridgePageOptions, signInLink } from '../../bridge-pages.js';
import type { BridgeState } from '../../bridge-state.js';
import { type BridgeMessages, bridgeMessages } from '../../messages.js';

export const PIN_TRIES = 3;
export const PUK_TRIES = 10;

export interface CardPageContext {
  language: Language;
  m: BridgeMessages;
  options: BridgePageOptions;
  /** The open sign-in the page belongs to (`?request=<id>`), or ''. */
  requestId: string;
}

/**
 * What a card page needs to draw itself. `?request=<id>` ties it to an open sign-in: "Torna al servizio"
 * and the sign-in's language (unless `?lang` asks otherwise). The id alone cannot submit a PIN.
 */
export function cardPageContext(ctx: Context, state: BridgeState, requestId: string): CardPageContext {
  const request = requestId ? state.pending.peek(requestId) : undefined;
  const language = typeof ctx.query.lang === 'string' || !request ? requestLanguage(ctx, undefined, { cookie: false }) : request.language;
  return {
    language,
    m: bridgeMessages(language),
    requestId: request?.id ?? '',
    options: { helpOrigin: state.deps.allowedOrigins[0] ?? '', signIn: request ? signInLink(request) : undefined },
  };
}

/** The counters, or the reason the card could not be read (no reader, no card…). */
export async function readTries(state: BridgeState, page: Pick<CardPageContext, 'language' | 'm'>): Promise<{ tries?: TriesLeft; problem?: string }> {
  try {
    return { tries: await state.deps.pins.readTriesLeft() };
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    return { problem: `${page.m.statusUnavailable} ${bridgeErrorText(error.code, page.language)}` };
  }
}
