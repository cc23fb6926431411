// A StateStore set is one sorted set whose scores are the members' expiry (epoch ms, Redis's own
// clock). Each script touches one key, so it is atomic and Cluster-safe.

const NOW_MS = `
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/** KEYS[1] the set. ARGV[1] member, ARGV[2] TTL in ms. Drops expired members; the key lives as long as its last member. */
export const ADD_TO_SET = `${NOW_MS}
redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`;

/** KEYS[1] the set. Returns the members that have not expired. */
export const SET_MEMBERS = `${NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. nowMs, '+inf')
`;

/** KEYS[1] the set. ARGV[1] member. Returns 1 if a live member was removed, else 0. */
export const REMOVE_FROM_SET = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
return redis.call('ZREM', KEYS[1], ARGV[1])
`;
