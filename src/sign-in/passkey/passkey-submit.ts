import type { Context } from 'koa';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { CredentialsError } from '../../credentials/credentials-error.js';
import { passkeyOutcome } from '../../credentials/level-outcomes.js';
import { parsedWebAuthnAnswer } from '../../credentials/webauthn-answer.js';
import { readForm } from '../../shared/form-body.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { BrowserCeremonies } from '../browser-ceremonies.js';
import { handOutcome } from '../ceremony-outcome.js';
import { citizenOf } from '../stored-citizen.js';
import { unknownCeremony } from '../unknown-ceremony.js';
import { PASSKEY_METHOD, type PasskeyCeremony, type PasskeySignInDeps } from './passkey-sign-in-deps.js';

// An assertion is a few hundred bytes; a large user handle or extension output still fits.
const FORM_LIMIT = 16 * 1024;

/**
 * POST /sign-in/passkey/:id: the authenticator's answer. The ceremony is single use (ended here
 * whatever the outcome); a refusal (a cancelled ceremony, another site's or citizen's passkey, a
 * replayed or cloned one) reaches the waiter as a failure with "Riprova", which starts a new ceremony.
 */
export async function passkeySubmit(deps: PasskeySignInDeps, ceremonies: BrowserCeremonies<PasskeyCeremony>, ctx: Context): Promise<void> {
  const id = String(ctx.params.id);
  const language = requestLanguage(ctx);
  const form = await readForm(ctx, FORM_LIMIT);
  const ended = await ceremonies.take(ctx, id);
  if (!ended) return unknownCeremony(ctx, language);
  const response = parsedWebAuthnAnswer<AuthenticationResponseJSON>(form.get('response') ?? '');
  if (!response) return handOutcome(ctx, deps, ended.boundTo, { kind: 'failure', method: PASSKEY_METHOD, code: 'passkey_refused' });
  try {
    const { citizen, passkey } = await deps.credentials.passkeys.authenticate(ended.record.webauthnCeremonyId, response);
    return await handOutcome(ctx, deps, ended.boundTo, { kind: 'verified', citizen: citizenOf(citizen, PASSKEY_METHOD, passkeyOutcome(passkey.deviceType)) });
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    return handOutcome(ctx, deps, ended.boundTo, { kind: 'failure', method: PASSKEY_METHOD, code: error.code });
  }
}
