-- kick: remove a player from the game. Their token stops working (auth
-- reads the kicked flag), they leave the board, and the event tells every
-- process to close their sockets. Idempotent.
--
-- Atomic so that a concurrent answer either lands before the kick (and is
-- kept in the log) or is refused after it; never half of each.
--
-- Layouts (engine/layout.py), read and written here (other fields kept as they are):
--   Stats: 1 total, 6 version, 10 kicked, 11 team
--   the teams hash (engine/teams.py): tot<i>, mem<i>, v<i>
--
-- KEYS[1] g:{id}:meta  KEYS[2] g:{id}:stats  KEYS[3] g:{id}:board
-- KEYS[4] g:{id}:events  KEYS[5] g:{id}:dirty  KEYS[6] g:{id}:teams
-- KEYS[7] g:{id}:q:<current>  KEYS[8] g:{id}:ans:<current> (the question the
-- caller read as current, q:1 for none)
-- ARGV[1] player id   ARGV[2] events stream MAXLEN
-- ARGV[3] the current question as read (0 for none): if it is still the
--   open one and the player answered it, its "answered" count drops by one,
--   so "everyone answered" counts the players still in the game (the answer
--   itself, its points and its distribution count are kept: nothing
--   accepted is lost)
--
-- Reply: {"ok", changed}. Refusals: {"unknown_game"}, {"unknown_player"}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown_game'} end
local st = redis.call('HGET', KEYS[2], ARGV[1])
if not st then return {'unknown_player'} end
local s = {}
for v in string.gmatch(st, '[^,]+') do s[#s + 1] = tonumber(v) end
if s[10] == 1 then return {'ok', 0} end
s[10] = 1
s[6] = s[6] + 1
redis.call('HSET', KEYS[2], ARGV[1], table.concat(s, ','))
redis.call('ZREM', KEYS[3], ARGV[1])
-- the player's points and place leave their team
local team = s[11] or -1
if team >= 0 then
  redis.call('HINCRBY', KEYS[6], 'mem' .. team, -1)
  if s[1] ~= 0 then redis.call('HINCRBY', KEYS[6], 'tot' .. team, 0 - s[1]) end
  redis.call('HINCRBY', KEYS[6], 'v' .. team, 1)
end
redis.call('HINCRBY', KEYS[1], 'count', -1)
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if ARGV[3] ~= '0' and m[1] == 'question' and m[2] == ARGV[3]
    and redis.call('HEXISTS', KEYS[8], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[7], 'answered', -1)
end
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 't', 'kick', 'p', ARGV[1])
return {'ok', 1}
