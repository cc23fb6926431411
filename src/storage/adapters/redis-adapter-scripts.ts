// Lua scripts run atomically on one Redis node; each touches keys of a single hash slot only.

/**
 * KEYS[1] entry hash. ARGV[1] payload JSON, ARGV[2] TTL in ms ('' = none), ARGV[3] '1' = only if absent.
 * Returns 1 if written, 0 if ARGV[3] was set and the entry existed.
 * The first write is HSET, a command Redis refuses when out of memory: then the script stops before
 * changing anything (had it begun with DEL, which Redis allows then, the script would run on).
 */
export const UPSERT_ENTRY = `
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
redis.call('HDEL', KEYS[1], 'consumed')
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('PERSIST', KEYS[1]) end
return 1
`;

/**
 * KEYS[1] entry hash in the grant's slot, KEYS[2] the grant's member set. ARGV as UPSERT_ENTRY (no NX);
 * HSET first for the same reason.
 * Registers the entry with its expiry, drops expired members and lets the set live as long as its
 * longest-lived member.
 */
export const UPSERT_GRANT_ENTRY = `
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
redis.call('HDEL', KEYS[1], 'consumed')
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local score = '+inf'
if ARGV[2] ~= '' then
  -- One time base for the entry and its score: PEXPIRE counts from the script's own clock, which may read a
  -- millisecond after TIME, and the set would then expire just before its longest-lived member.
  local expiresAt = nowMs + tonumber(ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], expiresAt)
  score = tostring(expiresAt)
else
  redis.call('PERSIST', KEYS[1])
end
redis.call('ZADD', KEYS[2], score, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowMs)
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] == 'inf' then redis.call('PERSIST', KEYS[2]) else redis.call('PEXPIREAT', KEYS[2], last[2]) end
return 1
`;

/**
 * KEYS[1] entry hash. ARGV[1] epoch seconds. Sets `consumed` only on an existing, unconsumed entry
 * (never creates a key). Returns 1 = consumed now, 0 = already consumed, -1 = missing/expired.
 */
export const CONSUME_ENTRY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 0 then return 0 end
return 1
`;

/** KEYS[1] entry hash, KEYS[2] (optional) its grant's member set. Deletes the entry; returns its payload or nil. */
export const DESTROY_ENTRY = `
local payload = redis.call('HGET', KEYS[1], 'payload')
redis.call('DEL', KEYS[1])
if KEYS[2] then redis.call('ZREM', KEYS[2], KEYS[1]) end
return payload
`;

/** KEYS[1] the grant's member set. Deletes every member entry and the set (all in the grant's slot). */
export const REVOKE_GRANT = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, key in ipairs(members) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #members
`;

/**
 * KEYS[1] the grant's member set, ARGV[1] the marker `}:<Model>:` of one model's entry keys, ARGV[2]
 * one entry key to keep ('' for none). Deletes that model's other entries of the grant and leaves the
 * other models' (a refresh keeps its new refresh token and the access token it issued). Returns the
 * deleted keys (their `grantOf:` pointers live in other slots: the adapter deletes them).
 */
export const DESTROY_GRANT_MODEL_MEMBERS = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local removed = {}
for _, key in ipairs(members) do
  if key ~= ARGV[2] and string.find(key, ARGV[1], 1, true) then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], key)
    removed[#removed + 1] = key
  end
end
return removed
`;

/**
 * KEYS[1] a grant's refresh token entry, KEYS[2] the grant's member set, KEYS[3] the grant's record of
 * spent refresh tokens. ARGV[1] the token's rotation number, ARGV[2] epoch seconds.
 * Spends the token: deletes it (no entry per past rotation is kept) and records in the grant's one
 * record the highest rotation spent, with the spent token's payload (what a replay is answered with),
 * kept as long as the longest-lived spent token. HSET first, as in the upserts (refused whole under OOM).
 * Returns 1 = spent now; 0 = already spent (its rotation is recorded, or an entry marked consumed);
 * -1 = gone (expired, destroyed, or a grant revoked meanwhile).
 */
export const SPEND_ROTATED = `
local spentRotation = tonumber(redis.call('HGET', KEYS[3], 'rotation') or '-1')
local rotation = tonumber(ARGV[1])
local payload = redis.call('HGET', KEYS[1], 'payload')
if not payload then
  if rotation <= spentRotation then return 0 end
  return -1
end
if redis.call('HEXISTS', KEYS[1], 'consumed') == 1 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('HSET', KEYS[3], 'payload', payload, 'consumed', ARGV[2], 'rotation', math.max(rotation, spentRotation))
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local kept = redis.call('ZSCORE', KEYS[2], KEYS[3])
if ttl < 0 then
  redis.call('ZADD', KEYS[2], '+inf', KEYS[3])
  redis.call('PERSIST', KEYS[3])
elseif not kept or tonumber(kept) < nowMs + ttl then
  redis.call('ZADD', KEYS[2], nowMs + ttl, KEYS[3])
  redis.call('PEXPIREAT', KEYS[3], nowMs + ttl)
else
  redis.call('PEXPIREAT', KEYS[3], kept)
end
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] == 'inf' then redis.call('PERSIST', KEYS[2]) else redis.call('PEXPIREAT', KEYS[2], last[2]) end
return 1
`;

/** KEYS[1] index key, ARGV[1] id. Deletes the index only if it still points at this id. */
export const DELETE_INDEX_IF_POINTS_AT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
