import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { RedisClient } from '../redis/connection.js';
import { callRedis } from '../redis/redis-call.js';
import { runScript } from '../redis/run-script.js';
import { alreadyConsumedError, GRANT_BOUND_MODELS, replayDetectedError, storageTtlSeconds } from './model-rules.js';
import {
  CONSUME_ENTRY,
  DELETE_INDEX_IF_POINTS_AT,
  DESTROY_ENTRY,
  DESTROY_GRANT_MODEL_MEMBERS,
  REVOKE_GRANT,
  UPSERT_ENTRY,
  UPSERT_GRANT_ENTRY,
} from './redis-adapter-scripts.js';
import { RedisAdapterKeys } from './redis-keys.js';

export interface RedisAdapterOptions {
  clockToleranceSeconds: number;
  /** Prefix of every key (default `oidc:`); must not contain `{` or `}`. */
  keyPrefix?: string;
}

interface Location {
  readonly key: string;
  readonly grantId: string | undefined;
}

class RedisAdapter implements Adapter {
  readonly #grantBound: boolean;

  constructor(
    private readonly model: string,
    private readonly redis: RedisClient,
    private readonly keys: RedisAdapterKeys,
    private readonly clockToleranceSeconds: number,
  ) {
    this.#grantBound = GRANT_BOUND_MODELS.has(model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttl = storageTtlSeconds(expiresIn, this.clockToleranceSeconds);
    const ttlMs = ttl === undefined ? undefined : Math.max(Math.round(ttl * 1000), 1);
    const json = JSON.stringify(payload);
    const written = await callRedis(async () => {
      const { redis, keys, model } = this;
      const grantId = this.#grantBound ? payload.grantId : undefined;
      if (grantId) {
        await runScript(redis, UPSERT_GRANT_ENTRY, 2, keys.grantEntry(grantId, model, id), keys.grantMembers(grantId), json, ttlMs ?? '');
        await this.#setIndex(keys.grantOf(model, id), grantId, ttlMs);
        // A DeviceCode/CIBA request gains its grantId on approval; drop its pre-approval copy.
        await redis.del(keys.entry(model, id));
      } else {
        const onlyIfAbsent = model === 'ReplayDetection' ? '1' : '0';
        if ((await runScript(redis, UPSERT_ENTRY, 1, keys.entry(model, id), json, ttlMs ?? '', onlyIfAbsent)) === 0) return false;
      }
      if (model === 'Session' && payload.uid) await this.#setIndex(keys.sessionUid(payload.uid), id, ttlMs);
      if (payload.userCode) await this.#setIndex(keys.userCode(payload.userCode), id, ttlMs);
      return true;
    });
    if (!written) throw replayDetectedError();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const fields = await callRedis(async () => this.redis.hgetall((await this.#locate(id)).key));
    if (fields.payload === undefined) return undefined;
    const payload = JSON.parse(fields.payload) as AdapterPayload;
    return fields.consumed === undefined ? payload : { ...payload, consumed: Number(fields.consumed) };
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await callRedis(() => this.redis.get(this.keys.sessionUid(uid)));
    const payload = id === null ? undefined : await this.find(id);
    return payload?.uid === uid ? payload : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await callRedis(() => this.redis.get(this.keys.userCode(userCode)));
    const payload = id === null ? undefined : await this.find(id);
    return payload?.userCode === userCode ? payload : undefined;
  }

  async consume(id: string): Promise<void> {
    const outcome = await callRedis(async () => {
      const { key } = await this.#locate(id);
      return runScript(this.redis, CONSUME_ENTRY, 1, key, Math.floor(Date.now() / 1000));
    });
    // oidc-provider ignores consume's result, so the loser of a concurrent redemption must throw.
    if (outcome !== 1) throw alreadyConsumedError(this.model);
  }

  async destroy(id: string): Promise<void> {
    const { redis, keys, model } = this;
    const json = await callRedis(async () => {
      const { key, grantId } = await this.#locate(id);
      if (!grantId) return (await runScript(redis, DESTROY_ENTRY, 1, key)) as string | null;
      const removed = (await runScript(redis, DESTROY_ENTRY, 2, key, keys.grantMembers(grantId))) as string | null;
      await redis.del(keys.grantOf(model, id));
      return removed;
    });
    if (!json) return;
    const { uid, userCode } = JSON.parse(json) as AdapterPayload;
    await callRedis(async () => {
      if (uid) await runScript(redis, DELETE_INDEX_IF_POINTS_AT, 1, keys.sessionUid(uid), id);
      if (userCode) await runScript(redis, DELETE_INDEX_IF_POINTS_AT, 1, keys.userCode(userCode), id);
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await callRedis(() => runScript(this.redis, REVOKE_GRANT, 1, this.keys.grantMembers(grantId)));
  }

  /** Deletes this model's entries of the grant, leaving the grant's other tokens (spent-tokens.ts). */
  async destroyAllOfGrant(grantId: string): Promise<void> {
    await callRedis(() => runScript(this.redis, DESTROY_GRANT_MODEL_MEMBERS, 1, this.keys.grantMembers(grantId), `}:${this.model}:`));
  }

  async #locate(id: string): Promise<Location> {
    const grantId = this.#grantBound ? await this.redis.get(this.keys.grantOf(this.model, id)) : null;
    return grantId
      ? { key: this.keys.grantEntry(grantId, this.model, id), grantId }
      : { key: this.keys.entry(this.model, id), grantId: undefined };
  }

  async #setIndex(key: string, value: string, ttlMs: number | undefined): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', ttlMs);
  }
}

/** oidc-provider `adapter` factory storing every model in Redis (standalone, Sentinel or Cluster). */
export function createRedisAdapterFactory(redis: RedisClient, options: RedisAdapterOptions): AdapterFactory {
  const keys = new RedisAdapterKeys(options.keyPrefix ?? 'oidc:');
  return (model) => new RedisAdapter(model, redis, keys, options.clockToleranceSeconds);
}
