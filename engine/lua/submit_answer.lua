-- submit_answer: score one player's answer to question n at Redis time.
--
-- Atomic because the one-answer guard, the clock checks (reading time,
-- pause, deadline), the score, the streak, the board, the distribution
-- (per-choice counts, slider buckets, the text sorted set), the answer log
-- and the delta must all agree: a retry or a racing duplicate sees the
-- recorded answer and changes nothing. O(log players) work: the streak is
-- kept lazily as the round of the last right scored answer, so nothing here
-- walks over other players.
--
-- Layouts (engine/layout.py), read and written here:
--   Stats: 1 total, 2 streak, 3 streak_round, 4 correct, 5 best, 6 version, 7 reached_ms, 8 last_round, 9 last_points, 10 kicked, 11 team
--   the teams hash (engine/teams.py): tot<i>, v<i> (O(1): no walk over members)
--   RecordedAnswer choices|points|bonus|correct|elapsed_ms|value (correct 2: unscored)
--   LogEntry p,q,c,t,pts,b,ok,tot,str,v,val
--   and the question hash (QUESTION_FIELDS): counts "answered", "c0".."c5",
--   "h0".."h19"; the kind's static fields (engine/kinds.py static_fields).
--
-- KEYS[1] g:{id}:meta    KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:ans:<n>
-- KEYS[4] g:{id}:stats   KEYS[5] g:{id}:board   KEYS[6] g:{id}:events
-- KEYS[7] g:{id}:log     KEYS[8] g:{id}:dirty   KEYS[9] g:{id}:txt:<n>
-- KEYS[10] g:{id}:teams
-- ARGV[1] player id   ARGV[2] n   ARGV[3] the answer as the kind scores it
--   (engine/kinds.py answer_arg: choice indexes "0,2", a slider grid index,
--   a normalized text, display indexes "2,0,1")
-- ARGV[4] events stream MAXLEN   ARGV[5] the value recorded (JSON)
-- ARGV[6] "1" when a text may be shown in the distribution
--
-- Reply: {"ok", points, bonus, total, rank, streak, correct, t_ms, version}
--   points includes bonus; t_ms is the response time from answers opening,
--   paused time excluded; correct 2 for an unscored kind.
-- {"already_answered", points, bonus, correct, t_ms} (the recorded answer).
-- Refusals: {"unknown_game"}, {"game_finished"}, {"wrong_question"},
-- {"not_open"}, {"paused"}, {"too_late"}, {"unknown_player"}, {"kicked"},
-- {"bad_choice"}, {"bad_value"}, {"no_answers"}.
local m = redis.call('HMGET', KEYS[1], 'state', 'created_ms')
if not m[1] then return {'unknown_game'} end
if m[1] == 'finished' then return {'game_finished'} end
local q = redis.call('HMGET', KEYS[2], 'state', 'open_ms', 'deadline_ms',
  'correct', 'nchoices', 'limit_ms', 'mult', 'round', 'kind', 'paused_at', 'paused_ms',
  'ext_ms', 'prev', 'nsteps', 'ans', 'tol', 'nb')
if not q[1] then return {'wrong_question'} end
local kind = q[9] or 'choice'
-- canonical id ("000123" -> "123"), so padded ids name the same player
local pid = tostring(tonumber(ARGV[1]) or ARGV[1])
-- A closed or unopened question says so first, answered or not.
if kind == 'info' then return {'no_answers'} end
if q[1] == 'ready' then return {'not_open'} end
if q[1] == 'closed' then return {'too_late'} end
local prev = redis.call('HGET', KEYS[3], pid)
if prev then
  local pp, pb, pc, pt = string.match(prev, '^[^|]*|(%d+)|(%d+)|(%d)|(%d+)')
  return {'already_answered', tonumber(pp), tonumber(pb), tonumber(pc), tonumber(pt)}
end
if tonumber(q[10] or 0) > 0 then return {'paused'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < tonumber(q[2]) then return {'not_open'} end
if now > tonumber(q[3]) then return {'too_late'} end
local st = redis.call('HGET', KEYS[4], pid)
if not st then return {'unknown_player'} end
local s = {}
for v in string.gmatch(st, '[^,]+') do s[#s + 1] = tonumber(v) end
-- s: the Stats fields by position (header)
if s[10] == 1 then return {'kicked'} end

local nchoices = tonumber(q[5] or 0)
local scored = kind ~= 'poll' and kind ~= 'word_cloud'
local mult = tonumber(q[7])
local elapsed = now - tonumber(q[2]) - tonumber(q[11] or 0)
local limit = tonumber(q[6]) + tonumber(q[12] or 0)
--@include judge

local j = judge(ARGV[3])
if type(j) == 'string' then return {j} end
local choices, right, base, counts = j[1], j[2], j[3], j[4]

local round = tonumber(q[8])
local bonus = 0
local correct = 2
if scored then
  correct = right and 1 or 0
  if right then
    -- the streak goes on from the previous scored question only
    if s[3] == tonumber(q[13] or (round - 1)) then s[2] = s[2] + 1 else s[2] = 1 end
    s[3] = round
    s[4] = s[4] + 1
    if s[2] > s[5] then s[5] = s[2] end
    if mult > 0 then bonus = math.min(100 * (s[2] - 1), 500) end
  else
    s[2] = 0
  end
end
local points = base + bonus
s[1] = s[1] + points
s[6] = s[6] + 1
s[8] = round
s[9] = points
if points > 0 then
  s[7] = now - tonumber(m[2])
  redis.call('ZADD', KEYS[5], s[1] * 1073741824 + (1073741823 - s[7]), pid)
  if (s[11] or -1) >= 0 then
    redis.call('HINCRBY', KEYS[10], 'tot' .. s[11], points)
    redis.call('HINCRBY', KEYS[10], 'v' .. s[11], 1)
  end
end
redis.call('HSET', KEYS[4], pid, table.concat(s, ','))
redis.call('HSET', KEYS[3], pid,
  choices .. '|' .. points .. '|' .. bonus .. '|' .. correct .. '|' .. elapsed .. '|' .. ARGV[5])
redis.call('HINCRBY', KEYS[2], 'answered', 1)
for _, f in ipairs(counts) do redis.call('HINCRBY', KEYS[2], f, 1) end
-- texts are counted for the kinds that show them (restore_game does the same)
if (kind == 'type_answer' or kind == 'word_cloud') and ARGV[6] == '1' and ARGV[3] ~= '' then
  redis.call('ZINCRBY', KEYS[9], 1, ARGV[3])
end
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 't', 'ans', 'q', ARGV[2], 'p', pid)
redis.call('XADD', KEYS[7], '*', 'p', pid, 'q', ARGV[2], 'c', choices, 't', elapsed,
  'pts', points, 'b', bonus, 'ok', correct, 'tot', s[1], 'str', s[2], 'v', s[6], 'val', ARGV[5])
redis.call('SADD', KEYS[8], pid)
local rank = redis.call('ZREVRANK', KEYS[5], pid)
local streak = s[2]
-- an unscored answer changes no streak: reply the one alive now (it lives
-- while its last right answer is the previous scored question)
if not scored and s[3] ~= tonumber(q[13] or (round - 1)) then streak = 0 end
return {'ok', points, bonus, s[1], rank + 1, streak, correct, elapsed, s[6]}
