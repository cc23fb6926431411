import type { Context } from 'koa';
import type { Language } from '../../shared/language.js';
import type { SignInBinding } from '../sign-in-binding.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import type { PasswordCeremony } from './password-sign-in-deps.js';

/** The method's button: a ceremony owned by this browser, then its page (a GET, so a reload shows it again). */
export async function startPasswordSignIn(ctx: Context, ceremonies: BrowserCeremonies<PasswordCeremony>, waiters: Parameters<typeof waiterOf>[0], binding: SignInBinding, level: 1 | 2, language: Language, factor?: 'app'): Promise<void> {
  waiterOf(waiters, binding);
  const id = await ceremonies.open(ctx, binding, { level, stage: 'password', language, ...(factor ? { factor } : {}) });
  ctx.status = 303;
  ctx.redirect(`${ceremonies.basePath}/${id}?lang=${language}`);
}
