import type { Context } from 'koa';
import type { CardProof } from '../../credentials/card-proof.js';
import { requestLanguage } from '../../shared/request-language.js';
import type { AccountDeps } from '../account-deps.js';
import { showAccess } from '../account-pages.js';
import type { AccountSession } from '../account-sessions.js';
import { formSession } from '../request-session.js';
import type { AccountCredentials } from './account-credentials.js';
import { cardProofOf } from './card-proof-of-session.js';
import { credentialsNotice, credentialsNoticeStatus } from './credentials-notices.js';

export interface CardProvenForm {
  session: AccountSession;
  form: URLSearchParams;
  proof: CardProof;
  credentials: AccountCredentials;
}

/**
 * A credentials change's form: the session's CSRF token (request-session.ts) and a fresh card
 * sign-in behind the session; otherwise the answer is given here and nothing changes.
 * Without the credentials room the route answers as an unknown one (404).
 */
export async function cardProvenForm(ctx: Context, deps: AccountDeps, bodyLimit?: number): Promise<CardProvenForm | undefined> {
  const { credentials } = deps;
  if (!credentials) return undefined;
  const posted = await formSession(ctx, deps, bodyLimit);
  if (!posted) return undefined;
  const proof = cardProofOf(posted.session);
  if (!proof) {
    const lang = requestLanguage(ctx);
    await showAccess(ctx, deps, lang, posted.session, credentialsNotice('card_sign_in_required', lang), credentialsNoticeStatus('card_sign_in_required'));
    return undefined;
  }
  return { ...posted, proof, credentials };
}
