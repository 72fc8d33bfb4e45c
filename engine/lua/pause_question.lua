-- pause_question: stop the clock of the open question n (the host's pause).
--
-- Atomic with the answers: an answer scored before the pause counts its
-- time up to now, one after it is refused "paused", and the pause's event
-- is ordered with theirs. Replays change nothing.
--
-- Layouts (engine/layout.py): the question hash, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] events stream MAXLEN
--
-- Reply: {"ok", remaining_ms, changed} (the time left to the deadline).
-- Refusals: {"unknown_game"}, {"game_finished"}, {"not_open"} (n is not
-- the open question, or its time is up), {"paused"} (already paused).
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'deadline_ms', 'paused_at')
if m[1] ~= 'question' or m[2] ~= ARGV[1] or q[1] ~= 'open' then return {'not_open'} end
if tonumber(q[3] or 0) > 0 then return {'paused'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local left = tonumber(q[2]) - now
if left <= 0 then return {'not_open'} end
redis.call('HSET', KEYS[2], 'paused_at', now)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'pause', 'q', ARGV[1],
  'left', left)
return {'ok', left, 1}
