import type { Context } from 'koa';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { parsedWebAuthnAnswer } from '../../credentials/webauthn-answer.js';
import type { AccountDeps } from '../account-deps.js';
import { cardProvenForm } from '../credentials/card-proven-form.js';
import { doneRedirect, refusalsShown, showCredentialsRefusal } from '../credentials/credentials-failure.js';

/** An authenticator's answer is a few hundred bytes to a few KiB (attestation "none" asked). */
const REGISTRATION_BODY_LIMIT = 16 * 1024;

/**
 * POST /account/passkeys: the authenticator's answer to the ceremony (verified and stored for the
 * same citizen by credentials/passkeys.ts, the card proof asked again). A cancelled ceremony posts
 * an empty answer: the page says so and the citizen may start again.
 */
export async function passkeyRegister(ctx: Context, deps: AccountDeps): Promise<void> {
  const posted = await cardProvenForm(ctx, deps, REGISTRATION_BODY_LIMIT);
  if (!posted) return;
  const { session, form, proof, credentials } = posted;
  const response = parsedWebAuthnAnswer<RegistrationResponseJSON>(form.get('response') ?? '');
  if (!response) return showCredentialsRefusal(ctx, deps, session, 'passkey_refused');
  await refusalsShown(ctx, deps, session, async () => {
    await credentials.passkeys.register(proof, form.get('ceremony_id') ?? '', response, form.get('label') ?? '');
    await deps.history?.manage({ accountId: session.accountId, action: 'passkey-enrolled' });
    doneRedirect(ctx, 'passkey-added');
  });
}
