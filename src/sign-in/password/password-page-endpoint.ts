import type { Context } from 'koa';
import { requestLanguage } from '../../shared/request-language.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { backHrefOf } from '../ceremony-outcome.js';
import { renderPasswordStep } from './password-pages.js';
import type { PasswordCeremony, PasswordSignInDeps } from './password-sign-in-deps.js';
import { unknownCeremony } from '../unknown-ceremony.js';
import { renderAppStage } from './app-stage.js';

/** GET /sign-in/password/:id: the ceremony's current step, for the browser that owns it. */
export async function passwordPage(deps: PasswordSignInDeps, ceremonies: BrowserCeremonies<PasswordCeremony>, ctx: Context): Promise<void> {
  const id = String(ctx.params.id);
  const found = await ceremonies.peek(ctx, id);
  const language = requestLanguage(ctx);
  if (!found) return unknownCeremony(ctx, language);
  if (found.record.stage === 'app') return renderAppStage(deps, ctx, id, found.record, found.boundTo);
  const backHref = backHrefOf(deps.waiters, found.boundTo);
  return renderPasswordStep(ctx, language, { id, ceremony: found.record, ...(backHref ? { backHref } : {}) });
}
