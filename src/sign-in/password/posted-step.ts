import type { Context } from 'koa';
import { readForm } from '../../shared/form-body.js';
import type { Language } from '../../shared/language.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import type { PasswordCeremony } from './password-sign-in-deps.js';
import { unknownCeremony } from '../unknown-ceremony.js';

export interface PostedStep<S extends PasswordCeremony['stage']> {
  id: string;
  language: Language;
  form: URLSearchParams;
  found: { boundTo: string; record: Extract<PasswordCeremony, { stage: S }> };
}

/**
 * A step's POST (/sign-in/password/:id, …/code): its form and its ceremony, bound to this browser and
 * at `stage`; otherwise the unknown-ceremony page is answered and the result is undefined.
 */
export async function postedStep<S extends PasswordCeremony['stage']>(
  ctx: Context,
  ceremonies: BrowserCeremonies<PasswordCeremony>,
  stage: S,
  formLimit: number,
): Promise<PostedStep<S> | undefined> {
  const id = String(ctx.params.id);
  const language = requestLanguage(ctx);
  const form = await readForm(ctx, formLimit);
  const found = await ceremonies.peek(ctx, id);
  if (!found || found.record.stage !== stage) {
    await unknownCeremony(ctx, language);
    return undefined;
  }
  return { id, language, form, found: { boundTo: found.boundTo, record: found.record as Extract<PasswordCeremony, { stage: S }> } };
}
