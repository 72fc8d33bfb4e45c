-- extend_question: give the open question n more time (the host's +s).
--
-- Atomic with the answers: an answer's T (limit + extensions) is the one in
-- force when it is scored, and no automatic close can slip in between a
-- read of the old deadline and the extension (close_question re-checks).
--
-- Layouts (engine/layout.py): the question hash, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] ms to add (1,000-120,000)   ARGV[3] events stream MAXLEN
--
-- Reply: {"ok", deadline_ms, changed}.
-- Refusals: {"unknown_game"}, {"game_finished"}, {"not_open"} (not the open
-- question, or its time is up and it was not paused).
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'deadline_ms', 'paused_at')
if m[1] ~= 'question' or m[2] ~= ARGV[1] or q[1] ~= 'open' then return {'not_open'} end
if tonumber(q[3] or 0) == 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now >= tonumber(q[2]) then return {'not_open'} end
end
local add = tonumber(ARGV[2])
local deadline = tonumber(q[2]) + add
redis.call('HSET', KEYS[2], 'deadline_ms', deadline)
redis.call('HINCRBY', KEYS[2], 'ext_ms', add)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 't', 'extend', 'q', ARGV[1])
return {'ok', deadline, 1}
