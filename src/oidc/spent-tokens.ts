import Provider, { errors, type Adapter, type KoaContextWithOIDC } from 'oidc-provider';
import { AlreadyConsumedError } from './adapters/model-rules.js';
import { revokeGrant } from './revoke-grant.js';

/** The adapters of this project (memory, Redis) can drop one model's entries of a grant but one. */
export interface GrantMemberAdapter extends Adapter {
  destroyAllOfGrant(grantId: string, keepId?: string): Promise<void>;
}

interface SpendableToken {
  grantId?: string;
  consume(): Promise<void>;
}

interface SpendableClass {
  prototype: SpendableToken;
}

type Next = () => Promise<unknown>;

function grantMemberAdapter(adapter: Adapter): GrantMemberAdapter {
  if (typeof (adapter as Partial<GrantMemberAdapter>).destroyAllOfGrant !== 'function') {
    throw new TypeError('the oidc-provider adapter must implement destroyAllOfGrant (use this project\'s memory or Redis adapter)');
  }
  return adapter as GrantMemberAdapter;
}

interface PendingSpend {
  model: SpendableClass;
  token: SpendableToken;
}

/** Tokens whose spending waits for the end of their token request, by that request's koa context. */
const spendAtEnd = new WeakMap<object, PendingSpend[]>();

/**
 * What spending a refresh token or an authorization code does beyond the library:
 * - **it happens last.** oidc-provider consumes the code or refresh token first and stores the new
 *   tokens after, in separate writes: a storage outage in between would leave the old token spent
 *   and nothing issued, and the client's retry (503 says "retry") would then look like a replay and
 *   revoke the grant. Here the token request marks the token and the spend runs once the answer is
 *   ready; an answer that is not a success spends nothing. A client whose request failed can retry.
 *   What remains: an outage during the spend itself (one round trip) leaves its outcome unknown.
 * - the winner of a refresh invalidates every access token issued before it for that grant (RP and
 *   citizen; cie-oidc-profile.md §3.4 "each refresh … invalidates all previously issued tokens")
 *   but the one it issues; the old refresh token is kept, consumed, so that replaying it is detected;
 * - the loser of a concurrent redemption (the adapter's atomic consume refused it) revokes the grant,
 *   exactly as the library does when a spent code or refresh token is replayed one after the other:
 *   two parties holding one token means it leaked. A token found gone (expired, or revoked during the
 *   request) fails the request without revoking anything.
 */
export function applySpentTokenRules(provider: Provider): void {
  const { AccessToken, RefreshToken, AuthorizationCode } = provider as unknown as Record<string, SpendableClass & { adapter: Adapter }>;
  const accessTokens = grantMemberAdapter(AccessToken!.adapter);
  const consumeNow = new Map<SpendableClass, SpendableToken['consume']>([RefreshToken!, AuthorizationCode!].map((model) => [model, model.prototype.consume]));
  const tokenPath = provider.pathFor('token');

  async function spend(model: SpendableClass, token: SpendableToken, issuedAccessToken: string | undefined): Promise<void> {
    const consume = async () => {
      try {
        await consumeNow.get(model)!.call(token);
      } catch (error) {
        // Not a storage outage, not a token found gone: only a lost race means a leak.
        if (error instanceof AlreadyConsumedError && token.grantId) await revokeGrant(provider, token.grantId);
        throw error;
      }
    };
    if (model !== RefreshToken || !token.grantId) return consume();
    // Issued together (one Redis round trip): should the consume lose, the grant is revoked anyway.
    await Promise.all([consume(), accessTokens.destroyAllOfGrant(token.grantId, issuedAccessToken)]);
  }

  for (const model of consumeNow.keys()) {
    model.prototype.consume = async function consumeLast(this: SpendableToken) {
      const ctx = Provider.ctx;
      const pending = ctx && spendAtEnd.get(ctx);
      if (pending) pending.push({ model, token: this });
      else await spend(model, this, undefined);
    };
  }

  provider.use(async function spendWhenAnswered(ctx: KoaContextWithOIDC, next: Next) {
    if (ctx.method !== 'POST' || ctx.path !== tokenPath) return next();
    const pending: PendingSpend[] = [];
    spendAtEnd.set(ctx, pending);
    await next();
    if (pending.length === 0 || ctx.status !== 200) return;
    const { AccessToken: issuedAccessToken, RefreshToken: issuedRefreshToken } = ctx.oidc.entities;
    try {
      await Promise.all(pending.map(({ model, token }) => spend(model, token, issuedAccessToken?.jti)));
    } catch (error) {
      // A storage outage propagates (the storage guard answers 503 with Retry-After).
      if (!(error instanceof errors.InvalidGrant)) throw error;
      // What this request issued must not outlive its refusal (a lost race revoked the grant already).
      const spent = new Set<unknown>(pending.map(({ token }) => token));
      await Promise.all([issuedAccessToken, issuedRefreshToken].filter((issued) => issued && !spent.has(issued)).map((issued) => issued!.destroy()));
      provider.emit('grant.error', ctx, error);
      ctx.status = error.statusCode;
      ctx.body = { error: error.error, error_description: error.error_description };
    }
  });
}
