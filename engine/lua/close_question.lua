-- close_question: close question n. Idempotent: any process may call it
-- (deadline timer, "everyone answered", the host), and only the first call
-- changes anything.
--
-- Atomic so that the state flip and its event happen once, in order with
-- the answers around them.
--
-- Layouts (engine/layout.py): the meta and question hashes, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:events
-- ARGV[1] n   ARGV[2] events stream MAXLEN
-- ARGV[3] who asks: "host" closes now; "deadline" only once the deadline
--   passed, "all_in" (everyone answered) any time; neither while paused.
--   The check is here, not in the caller, because a pause or an extension
--   may land between the caller's read and this close.
--
-- Reply: {"ok", closed_ms, changed}. Refusals: {"unknown_game"},
-- {"wrong_question"}, {"not_open"} (never opened), {"not_due"} (an automatic
-- close that no longer applies).
local m = redis.call('HMGET', KEYS[1], 'state', 'q')
if not m[1] then return {'unknown_game'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'closed_ms', 'deadline_ms', 'paused_at')
if not q[1] then return {'wrong_question'} end
if q[1] == 'ready' then return {'not_open'} end
if q[1] == 'closed' then return {'ok', tonumber(q[2]), 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] ~= 'host' then
  if tonumber(q[4] or 0) > 0 then return {'not_due'} end
  if ARGV[3] == 'deadline' and now < tonumber(q[3]) then return {'not_due'} end
end
local closed = math.min(now, tonumber(q[3]))
redis.call('HSET', KEYS[2], 'state', 'closed', 'closed_ms', closed)
if m[1] == 'question' and m[2] == ARGV[1] then
  redis.call('HSET', KEYS[1], 'state', 'reveal')
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'close', 'q', ARGV[1])
return {'ok', closed, 1}
