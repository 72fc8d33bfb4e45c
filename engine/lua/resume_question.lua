-- resume_question: start the clock of the paused question n again.
--
-- The paused span moves the deadline; paused during the reading time, it
-- moves the opening of answers too; paused after it, it adds to paused_ms,
-- which submit_answer takes off every later answer's time. Atomic with the
-- answers for the same reason as the pause.
--
-- Layouts (engine/layout.py): the question hash, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] events stream MAXLEN
--
-- Reply: {"ok", open_ms, deadline_ms, changed}.
-- Refusals: {"unknown_game"}, {"game_finished"}, {"not_open"},
-- {"not_paused"}.
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'open_ms', 'deadline_ms', 'paused_at',
  'paused_ms')
if m[1] ~= 'question' or m[2] ~= ARGV[1] or q[1] ~= 'open' then return {'not_open'} end
local at = tonumber(q[4] or 0)
if at == 0 then return {'not_paused'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local span = now - at
local open = tonumber(q[2])
local deadline = tonumber(q[3]) + span
if at < open then
  open = open + span
  redis.call('HSET', KEYS[2], 'open_ms', open)
else
  redis.call('HINCRBY', KEYS[2], 'paused_ms', span)
end
redis.call('HSET', KEYS[2], 'deadline_ms', deadline, 'paused_at', 0)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'resume', 'q', ARGV[1])
return {'ok', open, deadline, 1}
