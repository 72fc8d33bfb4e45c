-- join: add a player to a game, with the nickname unique ignoring case.
--
-- Atomic because the uniqueness check, the capacity check and the writes
-- must not interleave with another join of the same nickname.
--
-- Layouts (engine/layout.py), written here (every field: a new player's):
--   Stats: 1 total, 2 streak, 3 streak_round, 4 correct, 5 best, 6 version, 7 reached_ms, 8 last_round, 9 last_points, 10 kicked
--
-- KEYS[1] g:{id}:meta     KEYS[2] g:{id}:players  KEYS[3] g:{id}:nicks
-- KEYS[4] g:{id}:tokens   KEYS[5] g:{id}:board    KEYS[6] g:{id}:stats
-- KEYS[7] g:{id}:events   KEYS[8] g:{id}:dirty
-- ARGV[1] nickname as shown   ARGV[2] nickname key (case-folded)
-- ARGV[3] sha256 of the player's token   ARGV[4] events stream MAXLEN
--
-- Reply: {"ok", player_id, joined_ms}; a replay with the same token hash
-- returns the same player. Refusals: {"unknown_game"}, {"game_finished"},
-- {"join_locked"}, {"game_full"}, {"nickname_taken"}.
local meta = KEYS[1]
local m = redis.call('HMGET', meta, 'state', 'created_ms', 'count', 'max_players',
  'late_join', 'join_locked')
if not m[1] then return {'unknown_game'} end
local known = redis.call('HGET', KEYS[4], ARGV[3])
if known then
  return {'ok', tonumber(known), 0}
end
if m[1] == 'finished' then return {'game_finished'} end
if m[6] == '1' or (m[1] ~= 'lobby' and m[5] == '0') then return {'join_locked'} end
local maxp = tonumber(m[4] or '0')
if maxp > 0 and tonumber(m[3]) >= maxp then return {'game_full'} end
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then return {'nickname_taken'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = now - tonumber(m[2])
local pid = redis.call('HINCRBY', meta, 'next_pid', 1)
redis.call('HINCRBY', meta, 'count', 1)
redis.call('HSET', KEYS[2], pid, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], pid)
redis.call('HSET', KEYS[4], ARGV[3], pid)
-- composite score: total * 2^30 + (2^30 - 1 - ms since the game opened)
redis.call('ZADD', KEYS[5], 1073741823 - ms, pid)
-- stats: a new player's (layout above): version 1, reached_ms = join time
redis.call('HSET', KEYS[6], pid, '0,0,0,0,0,1,' .. ms .. ',0,0,0')
redis.call('SADD', KEYS[8], pid)
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[4], '*', 't', 'join', 'p', pid)
return {'ok', pid, ms}
