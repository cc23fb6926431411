import Provider, { errors, type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';
import { AlreadyConsumedError } from '../storage/adapters/model-rules.js';
import { foundWithPlaceClaims, type RefreshTokenPlace } from './jwt-tokens.js';
import { revokeGrant } from './revoke-grant.js';

/**
 * The adapters of this project (memory, Redis) can drop one model's entries of a grant but one, and
 * spend a grant's rotated tokens keeping one record per grant instead of every spent token.
 */
export interface GrantMemberAdapter extends Adapter {
  destroyAllOfGrant(grantId: string, keepId?: string): Promise<void>;
  /** Removes the token and records `rotation` as spent in its grant; throws as `consume` does when it did not spend. */
  spendRotated(grantId: string, id: string, rotation: number): Promise<void>;
  /** The grant's last spent token, marked consumed, if the grant spent `rotation`. */
  findSpent(grantId: string, rotation: number): Promise<AdapterPayload | undefined>;
}

interface SpendableToken {
  jti: string;
  grantId?: string;
  rotations?: number;
  consume(): Promise<void>;
  emit(event: string): void;
}

interface RefreshTokenClass {
  verify(stored: AdapterPayload, options?: object): Promise<AdapterPayload>;
  instantiate(payload: AdapterPayload): unknown;
  adapter: Adapter;
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
 *   citizen; SPID/CIE OIDC guidelines: refresh tokens and offline_access — docs/references.md "each refresh … invalidates all previously issued tokens")
 *   but the one it issues; the old refresh token is deleted, and its grant records the rotation
 *   spent, so that replaying it (or any earlier one) is still detected (findSpentRefreshToken); one
 *   issued before refresh JWTs carried `grant_id` and `rotation` is kept, consumed, until it expires;
 * - the loser of a concurrent redemption (the adapter's atomic consume refused it) revokes the grant,
 *   exactly as the library does when a spent code or refresh token is replayed one after the other:
 *   two parties holding one token means it leaked. A token found gone (expired, or revoked during the
 *   request) fails the request without revoking anything.
 */
export function applySpentTokenRules(provider: Provider): void {
  const { AccessToken, RefreshToken, AuthorizationCode } = provider as unknown as Record<string, SpendableClass & { adapter: Adapter }>;
  const accessTokens = grantMemberAdapter(AccessToken!.adapter);
  const refreshTokens = grantMemberAdapter(RefreshToken!.adapter);
  const consumeNow = new Map<SpendableClass, SpendableToken['consume']>([RefreshToken!, AuthorizationCode!].map((model) => [model, model.prototype.consume]));
  const tokenPath = provider.pathFor('token');

  async function spend(model: SpendableClass, token: SpendableToken, issuedAccessToken: string | undefined): Promise<void> {
    const grantId = model === RefreshToken ? token.grantId : undefined;
    const spendNow = async () => {
      // A refresh token issued before its JWT named its grant and rotation is kept, consumed, until it
      // expires: a replay of it could not be recognised from its grant's record.
      if (!grantId || !foundWithPlaceClaims(token)) return consumeNow.get(model)!.call(token);
      // Not kept, consumed, for 30 days: the grant records the rotation spent (findSpentRefreshToken).
      await refreshTokens.spendRotated(grantId, token.jti, token.rotations ?? 0);
      token.emit('consumed');
    };
    const consume = async () => {
      try {
        await spendNow();
      } catch (error) {
        // Not a storage outage, not a token found gone: only a lost race means a leak.
        if (error instanceof AlreadyConsumedError && token.grantId) await revokeGrant(provider, token.grantId);
        throw error;
      }
    };
    if (!grantId) return consume();
    // Issued together (one Redis round trip): should the consume lose, the grant is revoked anyway.
    await Promise.all([consume(), accessTokens.destroyAllOfGrant(grantId, issuedAccessToken)]);
  }

  for (const model of consumeNow.keys()) {
    model.prototype.consume = async function consumeLast(this: SpendableToken) {
      const ctx = Provider.ctx;
      const pending = ctx && spendAtEnd.get(ctx);
      if (pending) pending.push({ model, token: this });
      else await spend(model, this, undefined);
    };
  }

  const spendWhenAnswered = async (ctx: KoaContextWithOIDC, next: Next) => {
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
  };
  // Not async for other requests: every request passes through this layer.
  provider.use((ctx: KoaContextWithOIDC, next: Next) => (ctx.method === 'POST' && ctx.path === tokenPath ? spendWhenAnswered(ctx, next) : next()));
}

/**
 * A genuine refresh token JWT whose entry is gone: if its grant spent its rotation, it is answered
 * as that grant's spent token (its own jti and times), marked consumed, so oidc-provider treats the
 * replay as it always has: the refresh grant revokes the grant (SPID/CIE OIDC guidelines: refresh tokens and offline_access — docs/references.md),
 * introspection says inactive. The grant keeps one record for this, not one entry per rotation.
 */
export function spentRefreshTokenFinder(provider: Provider): (place: RefreshTokenPlace, findOptions?: object) => Promise<unknown> {
  return async (place, findOptions) => {
    const RefreshToken = (provider as unknown as { RefreshToken: RefreshTokenClass }).RefreshToken;
    const spent = await grantMemberAdapter(RefreshToken.adapter).findSpent(place.grantId, place.rotation);
    if (!spent || spent.grantId !== place.grantId) return undefined;
    const payload = { ...spent, jti: place.jti, iat: place.iat, exp: place.exp, clientId: place.clientId, rotations: place.rotation };
    try {
      return RefreshToken.instantiate(await RefreshToken.verify(payload, findOptions));
    } catch {
      return undefined;
    }
  };
}
