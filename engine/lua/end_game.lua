-- end_game: finish the game, closing its open question if any. Idempotent.
--
-- Atomic so that no answer can land between the question's close and the
-- game's end.
--
-- Layouts (engine/layout.py): the meta and question hashes, by field name.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:events   KEYS[3] g:{id}:q:<current>
-- (KEYS[3] is the question the caller read as current; the script checks it
-- against meta and refuses with "retry" if the game moved on meanwhile.)
-- ARGV[1] current question number as read (0 for none)  ARGV[2] MAXLEN
--
-- Reply: {"ok", finished_ms, changed}. Refusals: {"unknown_game"}, {"retry"}.
local m = redis.call('HMGET', KEYS[1], 'state', 'q', 'finished_ms')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'ok', tonumber(m[3]), 0} end
if m[2] ~= ARGV[1] then return {'retry'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if m[1] == 'question' then
  local q = redis.call('HMGET', KEYS[3], 'state', 'deadline_ms')
  if q[1] == 'open' then
    redis.call('HSET', KEYS[3], 'state', 'closed', 'closed_ms', math.min(now, tonumber(q[2])))
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 't', 'close', 'q', ARGV[1])
  end
end
redis.call('HSET', KEYS[1], 'state', 'finished', 'finished_ms', now)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 't', 'end')
return {'ok', now, 1}
