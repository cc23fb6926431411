import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { consumeRefusedError, GRANT_BOUND_MODELS, replayDetectedError, storageTtlSeconds } from './model-rules.js';

export interface MemoryAdapterOptions {
  clockToleranceSeconds: number;
  /** Clock in epoch milliseconds (tests move it forward). */
  now?: () => number;
}

interface Entry {
  readonly model: string;
  readonly json: string;
  readonly expiresAt: number;
  consumed?: number;
}

/** A grant's spent tokens of one model (refresh tokens): one record, whatever the number of rotations. */
interface SpentRecord {
  readonly rotation: number;
  readonly json: string;
  readonly consumed: number;
  readonly expiresAt: number;
}

interface Pointer {
  readonly key: string;
  readonly expiresAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Shared in-process storage for all models of one provider. Unlike the library's memory adapter it
 * has no entry cap (an LRU would silently drop live sessions and codes); expired entries are swept.
 * Payloads are kept as JSON so callers never share mutable objects with the store, like Redis.
 */
class MemoryStorage {
  readonly entries = new Map<string, Entry>();
  readonly sessionUids = new Map<string, Pointer>();
  readonly userCodes = new Map<string, Pointer>();
  readonly grants = new Map<string, Set<string>>();
  /** By `<grantId> <model>`. */
  readonly spent = new Map<string, SpentRecord>();
  #lastSweep: number;

  constructor(readonly now: () => number) {
    this.#lastSweep = now();
  }

  live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  livePointer(pointers: Map<string, Pointer>, name: string): Entry | undefined {
    const pointer = pointers.get(name);
    if (!pointer) return undefined;
    if (pointer.expiresAt <= this.now()) {
      pointers.delete(name);
      return undefined;
    }
    return this.live(pointer.key);
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const payload = JSON.parse(entry.json) as AdapterPayload;
    if (payload.uid && this.sessionUids.get(payload.uid)?.key === key) this.sessionUids.delete(payload.uid);
    if (payload.userCode && this.userCodes.get(payload.userCode)?.key === key) this.userCodes.delete(payload.userCode);
    if (payload.grantId) {
      const members = this.grants.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) this.grants.delete(payload.grantId);
    }
  }

  // Called on writes; a timer would keep the process (and jest) alive.
  sweepIfDue(): void {
    const now = this.now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key);
    for (const [key, record] of this.spent) if (record.expiresAt <= now) this.spent.delete(key);
    for (const pointers of [this.sessionUids, this.userCodes]) {
      for (const [name, pointer] of pointers) if (pointer.expiresAt <= now) pointers.delete(name);
    }
  }
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly storage: MemoryStorage,
    private readonly clockToleranceSeconds: number,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const { storage } = this;
    storage.sweepIfDue();
    const key = this.#key(id);
    if (this.model === 'ReplayDetection' && storage.live(key)) throw replayDetectedError();
    const ttl = storageTtlSeconds(expiresIn, this.clockToleranceSeconds);
    const expiresAt = ttl === undefined ? Infinity : storage.now() + Math.max(ttl * 1000, 1);
    storage.remove(key);
    storage.entries.set(key, { model: this.model, json: JSON.stringify(payload), expiresAt });
    if (this.model === 'Session' && payload.uid) storage.sessionUids.set(payload.uid, { key, expiresAt });
    if (payload.userCode) storage.userCodes.set(payload.userCode, { key, expiresAt });
    if (GRANT_BOUND_MODELS.has(this.model) && payload.grantId) {
      const members = storage.grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      storage.grants.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#read(this.storage.live(this.#key(id)));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#read(this.storage.livePointer(this.storage.sessionUids, uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#read(this.storage.livePointer(this.storage.userCodes, userCode));
  }

  async consume(id: string): Promise<void> {
    const entry = this.storage.live(this.#key(id));
    if (!entry) throw consumeRefusedError(this.model, 'gone');
    if (entry.consumed !== undefined) throw consumeRefusedError(this.model, 'consumed');
    entry.consumed = Math.floor(this.storage.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.storage.remove(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of [...(this.storage.grants.get(grantId) ?? [])]) this.storage.remove(key);
    this.storage.grants.delete(grantId);
    for (const model of GRANT_BOUND_MODELS) this.storage.spent.delete(spentKey(grantId, model));
  }

  /**
   * Spends a rotated token of the grant (spent-tokens.ts): the entry goes, the grant's one record
   * keeps the highest rotation spent. Throws as `consume` does when it did not spend.
   */
  async spendRotated(grantId: string, id: string, rotation: number): Promise<void> {
    const { storage } = this;
    const recordKey = spentKey(grantId, this.model);
    const record = this.#liveSpent(recordKey);
    const key = this.#key(id);
    const entry = storage.live(key);
    if (!entry || (JSON.parse(entry.json) as AdapterPayload).grantId !== grantId) throw consumeRefusedError(this.model, record && rotation <= record.rotation ? 'consumed' : 'gone');
    if (entry.consumed !== undefined) throw consumeRefusedError(this.model, 'consumed');
    storage.remove(key);
    storage.spent.set(recordKey, {
      rotation: Math.max(rotation, record?.rotation ?? -1),
      json: entry.json,
      consumed: Math.floor(storage.now() / 1000),
      expiresAt: Math.max(entry.expiresAt, record?.expiresAt ?? 0),
    });
  }

  /** The payload of the grant's last spent token, marked consumed, if `rotation` is one the grant spent. */
  async findSpent(grantId: string, rotation: number): Promise<AdapterPayload | undefined> {
    const record = this.#liveSpent(spentKey(grantId, this.model));
    if (!record || rotation > record.rotation) return undefined;
    return { ...(JSON.parse(record.json) as AdapterPayload), consumed: record.consumed };
  }

  #liveSpent(recordKey: string): SpentRecord | undefined {
    const record = this.storage.spent.get(recordKey);
    if (record && record.expiresAt <= this.storage.now()) {
      this.storage.spent.delete(recordKey);
      return undefined;
    }
    return record;
  }

  /** Deletes this model's entries of the grant, leaving the grant's other tokens (spent-tokens.ts). */
  async destroyAllOfGrant(grantId: string, keepId?: string): Promise<void> {
    const keep = keepId === undefined ? undefined : this.#key(keepId);
    for (const key of [...(this.storage.grants.get(grantId) ?? [])]) {
      if (key !== keep && this.storage.entries.get(key)?.model === this.model) this.storage.remove(key);
    }
  }

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  #read(entry: Entry | undefined): AdapterPayload | undefined {
    if (!entry || entry.model !== this.model) return undefined;
    const payload = JSON.parse(entry.json) as AdapterPayload;
    return entry.consumed === undefined ? payload : { ...payload, consumed: entry.consumed };
  }
}

function spentKey(grantId: string, model: string): string {
  return `${grantId} ${model}`;
}

/** What a memory storage holds: its entries, index pointers and grants' spent-token records. */
export interface MemoryStorageSize {
  entries: number;
  pointers: number;
  spentRecords: number;
  /** Sum of the stored JSON lengths (entries and spent records). */
  jsonBytes: number;
}

const storages = new WeakMap<AdapterFactory, MemoryStorage>();

/** The size of a memory adapter factory's storage (what a long-running demo keeps), but `exceptModel`'s entries. */
export function memoryStorageSize(factory: AdapterFactory, exceptModel?: string): MemoryStorageSize {
  const storage = storages.get(factory);
  if (!storage) throw new TypeError('not a memory adapter factory');
  let entries = 0;
  let jsonBytes = 0;
  for (const { model, json } of storage.entries.values()) {
    if (model === exceptModel) continue;
    entries += 1;
    jsonBytes += json.length;
  }
  for (const { json } of storage.spent.values()) jsonBytes += json.length;
  return { entries, pointers: storage.sessionUids.size + storage.userCodes.size, spentRecords: storage.spent.size, jsonBytes };
}

/** oidc-provider `adapter` factory keeping every model in this process; one storage per call. */
export function createMemoryAdapterFactory(options: MemoryAdapterOptions): AdapterFactory {
  const storage = new MemoryStorage(options.now ?? Date.now);
  const factory: AdapterFactory = (model) => new MemoryAdapter(model, storage, options.clockToleranceSeconds);
  storages.set(factory, storage);
  return factory;
}
