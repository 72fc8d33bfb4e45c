-- lock_join: stop (or allow again) new players joining. Idempotent.
--
-- Atomic so that the flag and its event appear together.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:events
-- ARGV[1] "1" to lock, "0" to unlock   ARGV[2] events stream MAXLEN
--
-- Reply: {"ok", changed}. Refusals: {"unknown_game"}.
local cur = redis.call('HGET', KEYS[1], 'join_locked')
if not cur then return {'unknown_game'} end
if cur == ARGV[1] then return {'ok', 0} end
redis.call('HSET', KEYS[1], 'join_locked', ARGV[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 't', 'lock', 'v', ARGV[1])
return {'ok', 1}
