import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { RedisClient } from '../redis/connection.js';
import { callRedis } from '../redis/redis-call.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
import { BoundedCache } from '../../shared/bounded-cache.js';
import { runScript } from '../redis/run-script.js';
import { BOUND_ON_APPROVAL_MODELS, consumeRefusedError, GRANT_BOUND_MODELS, replayDetectedError, storageTtlSeconds } from './model-rules.js';
import {
  CONSUME_ENTRY,
  DELETE_INDEX_IF_POINTS_AT,
  DESTROY_ENTRY,
  DESTROY_GRANT_MODEL_MEMBERS,
  REVOKE_GRANT,
  SPEND_ROTATED,
  UPSERT_ENTRY,
  UPSERT_GRANT_ENTRY,
} from './redis-adapter-scripts.js';
import { RedisAdapterKeys } from './redis-keys.js';

/** Index pointers kept in-process (about 200 bytes each): enough for the tokens and sessions of the last few minutes at peak. */
const POINTERS_REMEMBERED = 20_000;

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
  readonly #boundOnApproval: boolean;

  constructor(
    private readonly model: string,
    private readonly redis: RedisClient,
    private readonly keys: RedisAdapterKeys,
    private readonly clockToleranceSeconds: number,
    /**
     * In-process copies of the index strings this process wrote or read (`grantOf:` → grantId,
     * `sessionUid:` → session id, `userCode:` → device code), each saving a GET. A token's grantId
     * never changes; the others can (a session rotated, a user code reissued), so what they point at
     * is checked and Redis asked again on a mismatch (#findThroughIndex).
     */
    private readonly pointers: BoundedCache<string>,
  ) {
    this.#grantBound = GRANT_BOUND_MODELS.has(model);
    this.#boundOnApproval = BOUND_ON_APPROVAL_MODELS.has(model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttl = storageTtlSeconds(expiresIn, this.clockToleranceSeconds);
    const ttlMs = ttl === undefined ? undefined : Math.max(Math.round(ttl * 1000), 1);
    const json = JSON.stringify(payload);
    const { redis, keys, model } = this;
    const grantId = this.#grantBound ? payload.grantId : undefined;
    // The writes of one upsert do not depend on each other's replies, so they are issued together:
    // auto-pipelining sends them in one socket write and reads one batch of replies.
    const indexWrites = () => [
      ...(model === 'Session' && payload.uid ? [this.#setIndex(keys.sessionUid(payload.uid), id, ttlMs)] : []),
      ...(payload.userCode ? [this.#setIndex(keys.userCode(payload.userCode), id, ttlMs)] : []),
    ];
    const written = await callRedis(async () => {
      if (grantId) {
        await Promise.all([
          runScript(redis, UPSERT_GRANT_ENTRY, 2, keys.grantEntry(grantId, model, id), keys.grantMembers(grantId), json, ttlMs ?? ''),
          this.#setIndex(keys.grantOf(model, id), grantId, ttlMs),
          // A DeviceCode/CIBA request gains its grantId on approval; drop its pre-approval copy.
          ...(this.#boundOnApproval ? [redis.del(keys.entry(model, id))] : []),
          ...indexWrites(),
        ]);
        return true;
      }
      if (model === 'ReplayDetection') return (await runScript(redis, UPSERT_ENTRY, 1, keys.entry(model, id), json, ttlMs ?? '', '1')) === 1;
      await Promise.all([runScript(redis, UPSERT_ENTRY, 1, keys.entry(model, id), json, ttlMs ?? '', '0'), ...indexWrites()]);
      return true;
    });
    if (!written) throw replayDetectedError();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const read = () => callRedis(async () => this.redis.hgetall((await this.#locate(id)).key));
    let fields = await read();
    // Approved meanwhile by another instance: the entry moved into its grant's slot (upsert below).
    if (fields.payload === undefined && this.#boundOnApproval) fields = await read();
    if (fields.payload === undefined) return undefined;
    const payload = JSON.parse(fields.payload) as AdapterPayload;
    return fields.consumed === undefined ? payload : { ...payload, consumed: Number(fields.consumed) };
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findThroughIndex(this.keys.sessionUid(uid), (payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findThroughIndex(this.keys.userCode(userCode), (payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const outcome = await callRedis(async () => {
      const { key } = await this.#locate(id);
      return runScript(this.redis, CONSUME_ENTRY, 1, key, Math.floor(Date.now() / 1000));
    });
    // oidc-provider ignores consume's result, so the loser of a concurrent redemption must throw.
    if (outcome === 0) throw consumeRefusedError(this.model, 'consumed');
    if (outcome !== 1) throw consumeRefusedError(this.model, 'gone');
  }

  async destroy(id: string): Promise<void> {
    const { redis, keys, model } = this;
    const json = await callRedis(async () => {
      const { key, grantId } = await this.#locate(id);
      if (!grantId) return (await runScript(redis, DESTROY_ENTRY, 1, key)) as string | null;
      this.pointers.delete(keys.grantOf(model, id));
      const [removed] = await Promise.all([runScript(redis, DESTROY_ENTRY, 2, key, keys.grantMembers(grantId)), redis.del(keys.grantOf(model, id))]);
      return removed as string | null;
    });
    if (!json) return;
    const { uid, userCode } = JSON.parse(json) as AdapterPayload;
    if (uid) this.pointers.delete(keys.sessionUid(uid));
    if (userCode) this.pointers.delete(keys.userCode(userCode));
    await callRedis(() => Promise.all([
      ...(uid ? [runScript(redis, DELETE_INDEX_IF_POINTS_AT, 1, keys.sessionUid(uid), id)] : []),
      ...(userCode ? [runScript(redis, DELETE_INDEX_IF_POINTS_AT, 1, keys.userCode(userCode), id)] : []),
    ]));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await callRedis(() => runScript(this.redis, REVOKE_GRANT, 1, this.keys.grantMembers(grantId)));
  }

  /** Deletes this model's entries of the grant, leaving the grant's other tokens (spent-tokens.ts). */
  async destroyAllOfGrant(grantId: string, keepId?: string): Promise<void> {
    const { redis, keys, model } = this;
    const keep = keepId === undefined ? '' : keys.grantEntry(grantId, model, keepId);
    const entryOf = keys.grantEntry(grantId, model, '');
    await callRedis(async () => {
      const removed = (await runScript(redis, DESTROY_GRANT_MODEL_MEMBERS, 1, keys.grantMembers(grantId), `}:${model}:`, keep)) as string[];
      // Their pointers too, or each refresh would leave one behind for an access token's lifetime.
      // One DEL per key: on Cluster the pointers are in different slots.
      const pointers = removed.filter((key) => key.startsWith(entryOf)).map((key) => keys.grantOf(model, key.slice(entryOf.length)));
      for (const pointer of pointers) this.pointers.delete(pointer);
      await Promise.all(pointers.map((pointer) => redis.del(pointer)));
    });
  }

  /**
   * Spends a rotated token of the grant (spent-tokens.ts): the entry and its pointer go, the grant's
   * one record keeps the highest rotation spent. Throws as `consume` does when it did not spend.
   */
  async spendRotated(grantId: string, id: string, rotation: number): Promise<void> {
    const { redis, keys, model } = this;
    const outcome = await callRedis(() => runScript(redis, SPEND_ROTATED, 3, keys.grantEntry(grantId, model, id), keys.grantMembers(grantId), keys.grantSpent(grantId, model), rotation, Math.floor(Date.now() / 1000)));
    if (outcome === 0) throw consumeRefusedError(model, 'consumed');
    if (outcome !== 1) throw consumeRefusedError(model, 'gone');
    // Only once spent: a refused script (OOM refuses its HSET but allows a DEL; on Cluster the
    // pointer's slot may be up and the grant's down) must leave the token findable for the retry.
    const pointer = keys.grantOf(model, id);
    this.pointers.delete(pointer);
    try {
      await callRedis(() => redis.del(pointer));
    } catch (error) {
      // The spend happened: failing now would make the client's retry look like a replay. The
      // pointer leads to a deleted entry (the replay is still found spent) and expires with the token.
      if (!(error instanceof StorageUnavailableError)) throw error;
    }
  }

  /** The payload of the grant's last spent token, marked consumed, if `rotation` is one the grant spent. */
  async findSpent(grantId: string, rotation: number): Promise<AdapterPayload | undefined> {
    const [spentRotation, payload, consumed] = await callRedis(() => this.redis.hmget(this.keys.grantSpent(grantId, this.model), 'rotation', 'payload', 'consumed'));
    if (spentRotation == null || payload == null || rotation > Number(spentRotation)) return undefined;
    return { ...(JSON.parse(payload) as AdapterPayload), consumed: Number(consumed) };
  }

  async #locate(id: string): Promise<Location> {
    const { model, keys } = this;
    if (!this.#grantBound) return { key: keys.entry(model, id), grantId: undefined };
    const grantId = await this.#readIndex(keys.grantOf(model, id));
    return grantId ? { key: keys.grantEntry(grantId, model, id), grantId } : { key: keys.entry(model, id), grantId: undefined };
  }

  /**
   * The entry an index string points at, if it still matches (`matches`). A remembered pointer may
   * be stale (a session rotated, a user code reissued by another instance): then Redis is asked.
   */
  async #findThroughIndex(key: string, matches: (payload: AdapterPayload) => boolean): Promise<AdapterPayload | undefined> {
    const remembered = this.pointers.get(key, Date.now());
    if (remembered !== undefined) {
      const payload = await this.find(remembered);
      if (payload && matches(payload)) return payload;
      this.pointers.delete(key);
    }
    const id = await callRedis(() => this.#readIndex(key));
    const payload = id === null ? undefined : await this.find(id);
    return payload && matches(payload) ? payload : undefined;
  }

  async #readIndex(key: string): Promise<string | null> {
    const remembered = this.pointers.get(key, Date.now());
    if (remembered !== undefined) return remembered;
    const value = await this.redis.get(key);
    if (value !== null) this.pointers.set(key, value, Number.POSITIVE_INFINITY);
    return value;
  }

  async #setIndex(key: string, value: string, ttlMs: number | undefined): Promise<void> {
    this.pointers.set(key, value, ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlMs);
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', ttlMs);
  }
}

/** oidc-provider `adapter` factory storing every model in Redis (standalone, Sentinel or Cluster). */
export function createRedisAdapterFactory(redis: RedisClient, options: RedisAdapterOptions): AdapterFactory {
  const keys = new RedisAdapterKeys(options.keyPrefix ?? 'oidc:');
  const pointers = new BoundedCache<string>(POINTERS_REMEMBERED);
  return (model) => new RedisAdapter(model, redis, keys, options.clockToleranceSeconds, pointers);
}
