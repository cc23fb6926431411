import type { Context } from 'koa';
import { errorMessage } from '../../shared/errors/error-table.js';
import { renderPage } from '../../shared/html.js';
import type { Language } from '../../shared/language.js';
import { passwordMessages } from './password-messages.js';
import type { PasswordCeremony } from './password-sign-in-deps.js';

export interface PasswordPageState {
  id: string;
  ceremony: PasswordCeremony;
  /** The back link to the waiter (its abort), when it has one. */
  backHref?: string;
  /** A refusal to show above the form (the table's words: never which part was wrong). */
  errorCode?: string;
  status?: number;
}

/** The ceremony's current step: the password form, or (level 2, after the password) the code form. */
export async function renderPasswordStep(ctx: Context, language: Language, state: PasswordPageState): Promise<void> {
  const m = passwordMessages(language);
  const action = `/sign-in/password/${state.id}${state.ceremony.stage === 'code' ? '/code' : ''}`;
  const view = state.ceremony.stage === 'code' ? 'sign-in/password-code' : 'sign-in/password';
  await renderPage(ctx, view, {
    lang: language,
    m,
    title: state.ceremony.stage === 'code' ? m.codeTitle : m.passwordTitle,
    assets: '/assets',
    action,
    level: state.ceremony.level,
    factor: state.ceremony.stage === 'password' ? state.ceremony.factor : undefined,
    sentTo: state.ceremony.stage === 'code' ? state.ceremony.sentTo : '',
    backHref: state.backHref,
    errorCode: state.errorCode,
    error: state.errorCode ? errorMessage(state.errorCode, language) : undefined,
  }, { status: state.status ?? 200, languageSwitchPath: `/sign-in/password/${state.id}` });
}

/** `m***@example.it`: enough for the citizen to recognise the address, not enough to learn it. */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
