-- question_start: open question n at Redis server time, with its deadline,
-- closing the open question first when another one is open.
--
-- Atomic so that no answer lands between the close and the open, the two
-- events reach the stream together (close first), two hosts (or two
-- processes) cannot open two questions, and a refusal changes nothing: the
-- open question stays open when n cannot be opened.
--
-- Layouts (engine/layout.py): the meta and question hashes, by field name.
-- The question is shown at opened_ms and takes answers from open_ms (after
-- its reading time) to deadline_ms; "prev" keeps the round of the previous
-- scored question (meta "sround"), from which a streak goes on.
--
-- KEYS[1] g:{id}:meta   KEYS[2] g:{id}:events
-- KEYS[3] g:{id}:q:<current>   KEYS[4] g:{id}:q:<n>
-- (KEYS[3] is the question the caller read as current, q:1 for none; the
-- script checks it against meta and refuses with "retry" if the game moved
-- on meanwhile.)
-- ARGV[1] current question number as read (0 for none; "*": whatever it is,
--   refused "question_open" if another question is open)   ARGV[2] n
-- ARGV[3] events stream MAXLEN
--
-- Reply: {"ok", opened_ms, deadline_ms, round, changed, open_ms} (changed 0 when n
-- was already the open question: a replay changes nothing).
-- Refusals: {"unknown_game"}, {"game_finished"}, {"retry"},
-- {"no_more_questions"} (n past the last question), {"wrong_question"} (no
-- such question), {"already_played"}, {"question_open"}.
local m = redis.call('HMGET', KEYS[1], 'state', 'q', 'round', 'nq', 'sround')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
if ARGV[1] ~= '*' and m[2] ~= ARGV[1] then return {'retry'} end
if tonumber(ARGV[2]) > tonumber(m[4]) then return {'no_more_questions'} end
local q = redis.call('HMGET', KEYS[4], 'state', 'opened_ms', 'deadline_ms', 'round', 'limit_ms',
  'read_ms', 'kind', 'open_ms')
if not q[1] then return {'wrong_question'} end
if q[1] == 'open' then
  return {'ok', tonumber(q[2]), tonumber(q[3]), tonumber(q[4]), 0, tonumber(q[8] or q[2])}
end
if q[1] == 'closed' then return {'already_played'} end
if ARGV[1] == '*' and m[1] == 'question' then return {'question_open'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if m[1] == 'question' then
  local c = redis.call('HMGET', KEYS[3], 'state', 'deadline_ms')
  if c[1] == 'open' then
    redis.call('HSET', KEYS[3], 'state', 'closed', 'closed_ms', math.min(now, tonumber(c[2])))
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 't', 'close', 'q', ARGV[1])
  end
end
local open = now + tonumber(q[6] or 0)
local deadline = open + tonumber(q[5])
local round = tonumber(m[3]) + 1
-- a game laid down before scored rounds were kept apart: every round scored
local sround = tonumber(m[5] or m[3])
local kind = q[7] or 'choice'
redis.call('HSET', KEYS[4], 'state', 'open', 'opened_ms', now, 'open_ms', open,
  'deadline_ms', deadline, 'round', round, 'prev', sround, 'paused_at', 0, 'paused_ms', 0,
  'ext_ms', 0)
if kind ~= 'poll' and kind ~= 'word_cloud' and kind ~= 'info' then sround = round end
redis.call('HSET', KEYS[1], 'state', 'question', 'q', ARGV[2], 'round', round, 'sround', sround)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 't', 'open', 'q', ARGV[2])
return {'ok', now, deadline, round, 1, open}
