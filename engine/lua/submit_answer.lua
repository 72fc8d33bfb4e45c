-- submit_answer: score one player's answer to question n at Redis time.
--
-- Atomic because the one-answer guard, the deadline check, the score, the
-- streak, the board, the answer log and the delta must all agree: a retry
-- or a racing duplicate sees the recorded answer and changes nothing.
-- O(log players) work: the streak is kept lazily as the round of the last
-- correct answer, so nothing here walks over other players.
--
-- Layouts (engine/layout.py), read and written here:
--   Stats: 1 total, 2 streak, 3 streak_round, 4 correct, 5 best, 6 version, 7 reached_ms, 8 last_round, 9 last_points, 10 kicked
--   RecordedAnswer choices|points|bonus|correct|elapsed_ms
--   LogEntry p,q,c,t,pts,b,ok,tot,str,v
--   and the question hash (QUESTION_FIELDS): counts "answered", "c0".."c5"
--
-- KEYS[1] g:{id}:meta    KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:ans:<n>
-- KEYS[4] g:{id}:stats   KEYS[5] g:{id}:board   KEYS[6] g:{id}:events
-- KEYS[7] g:{id}:log     KEYS[8] g:{id}:dirty
-- ARGV[1] player id   ARGV[2] n   ARGV[3] chosen indexes "0,2"
-- ARGV[4] events stream MAXLEN
--
-- Reply: {"ok", points, bonus, total, rank, streak, correct, t_ms, version}
--   points includes bonus; t_ms is the response time from the opening.
-- {"already_answered", points, bonus, correct, t_ms} (the recorded answer).
-- Refusals: {"unknown_game"}, {"game_finished"}, {"wrong_question"},
-- {"not_open"}, {"too_late"}, {"unknown_player"}, {"kicked"}, {"bad_choice"}.
local m = redis.call('HMGET', KEYS[1], 'state', 'created_ms')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'opened_ms', 'deadline_ms',
  'correct', 'nchoices', 'limit_ms', 'mult', 'round')
if not q[1] then return {'wrong_question'} end
-- canonical id ("000123" -> "123"), so padded ids name the same player
local pid = tostring(tonumber(ARGV[1]) or ARGV[1])
-- A closed or unopened question says so first, answered or not.
if q[1] == 'ready' then return {'not_open'} end
if q[1] == 'closed' then return {'too_late'} end
local prev = redis.call('HGET', KEYS[3], pid)
if prev then
  local pp, pb, pc, pt = string.match(prev, '^[^|]*|(%d+)|(%d+)|(%d)|(%d+)')
  return {'already_answered', tonumber(pp), tonumber(pb), tonumber(pc), tonumber(pt)}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(q[3]) then return {'too_late'} end
local st = redis.call('HGET', KEYS[4], pid)
if not st then return {'unknown_player'} end
local s = {}
for v in string.gmatch(st, '[^,]+') do s[#s + 1] = tonumber(v) end
-- s: the Stats fields by position (header)
if s[10] == 1 then return {'kicked'} end

local nchoices = tonumber(q[5])
local right = {}
local nright = 0
for v in string.gmatch(q[4], '%d+') do right[tonumber(v)] = true; nright = nright + 1 end
local seen = {}
local hits, wrong, npicked = 0, 0, 0
for v in string.gmatch(ARGV[3], '[^,]+') do
  local c = tonumber(v)
  if not c or c ~= math.floor(c) or c < 0 or c >= nchoices or seen[c] then
    return {'bad_choice'}
  end
  seen[c] = true
  npicked = npicked + 1
  if right[c] then hits = hits + 1 else wrong = wrong + 1 end
end
if npicked == 0 then return {'bad_choice'} end

local mult = tonumber(q[7])
local round = tonumber(q[8])
local elapsed = now - tonumber(q[2])
local limit = tonumber(q[6])
local correct = (hits > 0 and wrong == 0) and 1 or 0
local base, bonus = 0, 0
if correct == 1 then
  local per = 1000 * mult
  if nright > 1 then per = 500 * mult * hits end
  if elapsed < 500 then
    base = per
  else
    -- round(per * (1 - (t / T) / 2)) in integers: floor((per*(2T - t) + T) / 2T)
    base = math.floor((per * (2 * limit - elapsed) + limit) / (2 * limit))
  end
  if s[3] == round - 1 then s[2] = s[2] + 1 else s[2] = 1 end
  s[3] = round
  s[4] = s[4] + 1
  if s[2] > s[5] then s[5] = s[2] end
  if mult > 0 then bonus = math.min(100 * (s[2] - 1), 500) end
else
  s[2] = 0
end
local points = base + bonus
s[1] = s[1] + points
s[6] = s[6] + 1
s[8] = round
s[9] = points
if points > 0 then
  s[7] = now - tonumber(m[2])
  redis.call('ZADD', KEYS[5], s[1] * 1073741824 + (1073741823 - s[7]), pid)
end
redis.call('HSET', KEYS[4], pid, table.concat(s, ','))
redis.call('HSET', KEYS[3], pid, ARGV[3] .. '|' .. points .. '|' .. bonus .. '|' .. correct .. '|' .. elapsed)
redis.call('HINCRBY', KEYS[2], 'answered', 1)
for c in pairs(seen) do redis.call('HINCRBY', KEYS[2], 'c' .. c, 1) end
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 't', 'ans', 'q', ARGV[2], 'p', pid)
redis.call('XADD', KEYS[7], '*', 'p', pid, 'q', ARGV[2], 'c', ARGV[3], 't', elapsed,
  'pts', points, 'b', bonus, 'ok', correct, 'tot', s[1], 'str', s[2], 'v', s[6])
redis.call('SADD', KEYS[8], pid)
local rank = redis.call('ZREVRANK', KEYS[5], pid)
return {'ok', points, bonus, s[1], rank + 1, s[2], correct, elapsed, s[6]}
