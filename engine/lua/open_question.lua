-- open_question: open question n at Redis server time, with its deadline.
--
-- Atomic so that the opening time every answer is scored against is the one
-- written, and so that two hosts (or two processes) cannot open two questions.
--
-- Layouts (engine/layout.py): the meta and question hashes, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] events stream MAXLEN
--
-- Reply: {"ok", opened_ms, deadline_ms, round, changed} (changed 0 when the
-- question was already the open one: a replay changes nothing).
-- Refusals: {"unknown_game"}, {"game_finished"}, {"wrong_question"} (no such
-- question), {"already_played"}, {"question_open"} (another one is open).
local m = redis.call('HMGET', KEYS[1], 'state', 'q', 'round')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'opened_ms', 'deadline_ms', 'round', 'limit_ms')
if not q[1] then return {'wrong_question'} end
if q[1] == 'open' then
  return {'ok', tonumber(q[2]), tonumber(q[3]), tonumber(q[4]), 0}
end
if q[1] == 'closed' then return {'already_played'} end
if m[1] == 'question' then return {'question_open'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = now + tonumber(q[5])
local round = tonumber(m[3]) + 1
redis.call('HSET', KEYS[2], 'state', 'open', 'opened_ms', now, 'deadline_ms', deadline, 'round', round)
redis.call('HSET', KEYS[1], 'state', 'question', 'q', ARGV[1], 'round', round)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'open', 'q', ARGV[1])
return {'ok', now, deadline, round, 1}
