-- show_board: auto-advance's switch from a closed question's results to the
-- leaderboard, once.
--
-- Atomic so that when every server process's clock asks at the same
-- moment, one event goes out: the first call marks the question, the rest
-- see the mark and change nothing.
--
-- Layouts (engine/layout.py): the meta and question hashes, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] events stream MAXLEN
--
-- Reply: {"ok", board_ms, changed}. Refusals: {"unknown_game"},
-- {"not_closed"} (n is not the game's closed question).
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if not m[1] then return {'unknown_game'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'board_ms')
if m[1] ~= 'reveal' or m[2] ~= ARGV[1] or q[1] ~= 'closed' then return {'not_closed'} end
if tonumber(q[2] or 0) > 0 then return {'ok', tonumber(q[2]), 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[2], 'board_ms', now)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'board', 'q', ARGV[1])
return {'ok', now, 1}
