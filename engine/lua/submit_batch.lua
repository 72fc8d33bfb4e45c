-- submit_batch: score a micro-batch of answers to question n of one game, in
-- one call, each answer exactly as submit_answer.lua would score it had the
-- answers been sent one after another, in order, at one Redis time.
--
-- Atomic because the whole batch runs as one script: every answer's guard,
-- clock checks, score, streak, board, distribution, log entry and delta
-- agree, as in submit_answer, and no other script runs between two answers
-- of the batch. Each answer stands alone: a refusal writes nothing and
-- changes no other answer's reply; a second answer of a player in the batch
-- sees the first (already_answered). What is the same for every answer is
-- read once: the meta and question hashes, the answers' guards and the
-- players' stats (one HMGET each), and the Redis time (one TIME: the batch
-- is atomic and all its answers arrived before it ran, so they are scored
-- at the time they were all there, none later than its last one would have
-- been alone). Writes that add up are made once per batch with the sums:
-- the question's counts, the texts, the team counters, the stats and
-- guards (one HSET each), the dirty set (one SADD) and one "ans" event
-- (t ans, q, k: the answers taken) on the events stream, which the relay
-- only takes as "the board moved". Per answer stay what must: the board's
-- ZADD and ZREVRANK (the ack's rank is the rank just after that answer, as
-- if scored alone) and the answer log entry (one per answer, in the format the
-- flusher reads). O(batch * log players).
--
-- Layouts (engine/layout.py), read and written here:
--   Stats: 1 total, 2 streak, 3 streak_round, 4 correct, 5 best, 6 version, 7 reached_ms, 8 last_round, 9 last_points, 10 kicked, 11 team
--   the teams hash (engine/teams.py): tot<i>, v<i>
--   RecordedAnswer choices|points|bonus|correct|elapsed_ms|value (correct 2: unscored)
--   LogEntry p,q,c,t,pts,b,ok,tot,str,v,val
--   and the question hash (QUESTION_FIELDS): counts "answered", "c0".."c5",
--   "h0".."h19"; the kind's static fields (engine/kinds.py static_fields).
--
-- KEYS: those of submit_answer, in its order:
-- KEYS[1] g:{id}:meta    KEYS[2] g:{id}:q:<n>   KEYS[3] g:{id}:ans:<n>
-- KEYS[4] g:{id}:stats   KEYS[5] g:{id}:board   KEYS[6] g:{id}:events
-- KEYS[7] g:{id}:log     KEYS[8] g:{id}:dirty   KEYS[9] g:{id}:txt:<n>
-- KEYS[10] g:{id}:teams
-- ARGV[1] n   ARGV[2] events stream MAXLEN
-- then four per answer, in order: player id, the answer as the kind scores
-- it (submit_answer's ARGV[3]), the value recorded (JSON), "1" when a text
-- may be shown in the distribution. At most 1,024 answers (Lua's unpack).
--
-- Reply: one reply per answer, in order, each of submit_answer's shapes:
-- {"ok", points, bonus, total, rank, streak, correct, t_ms, version},
-- {"already_answered", points, bonus, correct, t_ms}, or a refusal
-- {"unknown_game"}, {"game_finished"}, {"wrong_question"}, {"not_open"},
-- {"paused"}, {"too_late"}, {"unknown_player"}, {"kicked"}, {"bad_choice"},
-- {"bad_value"}, {"no_answers"}.
local nans = math.floor((#ARGV - 2) / 4)
local replies = {}
local function all(reply)
  for i = 1, nans do replies[i] = reply end
  return replies
end

local m = redis.call('HMGET', KEYS[1], 'state', 'created_ms')
if not m[1] then return all({'unknown_game'}) end
if m[1] == 'finished' then return all({'game_finished'}) end
local q = redis.call('HMGET', KEYS[2], 'state', 'open_ms', 'deadline_ms',
  'correct', 'nchoices', 'limit_ms', 'mult', 'round', 'kind', 'paused_at', 'paused_ms',
  'ext_ms', 'prev', 'nsteps', 'ans', 'tol', 'nb')
if not q[1] then return all({'wrong_question'}) end
local kind = q[9] or 'choice'
if kind == 'info' then return all({'no_answers'}) end
if q[1] == 'ready' then return all({'not_open'}) end
if q[1] == 'closed' then return all({'too_late'}) end

-- canonical ids ("000123" -> "123"), so padded ids name the same player
local pids = {}
for i = 1, nans do
  local raw = ARGV[4 * i - 1]
  pids[i] = tostring(tonumber(raw) or raw)
end
local function recorded(prev)
  local pp, pb, pc, pt = string.match(prev, '^[^|]*|(%d+)|(%d+)|(%d)|(%d+)')
  return {'already_answered', tonumber(pp), tonumber(pb), tonumber(pc), tonumber(pt)}
end
local prevs = redis.call('HMGET', KEYS[3], unpack(pids))

-- What refuses every answer not already given (as submit_answer checks
-- them after its guard): a paused clock, or the time outside the window.
local shut = nil
local now = 0
if tonumber(q[10] or 0) > 0 then
  shut = 'paused'
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now < tonumber(q[2]) then shut = 'not_open'
  elseif now > tonumber(q[3]) then shut = 'too_late' end
end
if shut then
  for i = 1, nans do
    replies[i] = prevs[i] and recorded(prevs[i]) or {shut}
  end
  return replies
end

local sts = redis.call('HMGET', KEYS[4], unpack(pids))

-- The question, read once for the batch.
local nchoices = tonumber(q[5] or 0)
local scored = kind ~= 'poll' and kind ~= 'word_cloud'
local texted = kind == 'type_answer' or kind == 'word_cloud'  -- kinds whose texts are counted
local mult = tonumber(q[7])
local elapsed = now - tonumber(q[2]) - tonumber(q[11] or 0)
local limit = tonumber(q[6]) + tonumber(q[12] or 0)
local round = tonumber(q[8])
local prev_round = tonumber(q[13] or (round - 1))
local created = tonumber(m[2])
--@include judge

-- judge (lib/judge.lua) gives what an answer's value is worth, whoever gave
-- it: the same for every answer of the batch with that value (one question,
-- one time), so judged once per distinct value: a choice question's batch
-- holds a handful.
local counts = {}  -- question hash field -> increment, for the whole batch
local texts = {}  -- text -> increment
local judged = {}

local n = ARGV[1]
-- Numbers as the strings written: Lua and Redis turn a number into text with
-- sprintf, the costliest step of a write here, and most values repeat
-- across a batch (points, streaks, versions, the batch's one elapsed time),
-- so each distinct one is formatted once. Integers below 2^53 only (exact
-- as %.14g prints them up to 1e14; the board's scores stay numbers).
local S = setmetatable({}, {__index = function(t, k)
  local v = string.format('%d', k)
  t[k] = v
  return v
end})
local STATS11 = '^(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),(%-?%d+),'
  .. '(%-?%d+),(%-?%d+),(%-?%d+)$'
local done = {}  -- pid -> its RecordedAnswer, written in this batch
local stats_out, answers_out, dirty = {}, {}, {}
local team_tot, team_v = {}, {}
local taken = 0
for i = 1, nans do
  local pid = pids[i]
  local prev = done[pid] or prevs[i]
  if prev then
    replies[i] = recorded(prev)
  elseif not sts[i] then
    replies[i] = {'unknown_player'}
  else
    -- s: the Stats fields by position (header); one match for the eleven
    -- of today, a split for a shorter value (written before teams)
    local st = sts[i]
    local s = {string.match(st, STATS11)}
    if s[11] then
      for k = 1, 11 do s[k] = tonumber(s[k]) end
    else
      s = {}
      for v in string.gmatch(st, '[^,]+') do s[#s + 1] = tonumber(v) end
    end
    if s[10] == 1 then
      replies[i] = {'kicked'}
    else
      local arg, value = ARGV[4 * i], ARGV[4 * i + 1]
      local j = judged[arg]
      if not j then
        j = judge(arg)
        judged[arg] = j
      end
      if type(j) == 'string' then
        replies[i] = {j}  -- a refusal: nothing written
      else
        local choices, right, base, picked = j[1], j[2], j[3], j[4]
        local bonus = 0
        local correct = 2
        if scored then
          correct = right and 1 or 0
          if right then
            -- the streak goes on from the previous scored question only
            if s[3] == prev_round then s[2] = s[2] + 1 else s[2] = 1 end
            s[3] = round
            s[4] = s[4] + 1
            if s[2] > s[5] then s[5] = s[2] end
            if mult > 0 then bonus = math.min(100 * (s[2] - 1), 500) end
          else
            s[2] = 0
          end
        end
        for _, f in ipairs(picked) do counts[f] = (counts[f] or 0) + 1 end
        local points = base + bonus
        s[1] = s[1] + points
        s[6] = s[6] + 1
        s[8] = round
        s[9] = points
        if points > 0 then
          s[7] = now - created
          redis.call('ZADD', KEYS[5], s[1] * 1073741824 + (1073741823 - s[7]), pid)
          if (s[11] or -1) >= 0 then
            local team = s[11]
            team_tot[team] = (team_tot[team] or 0) + points
            team_v[team] = (team_v[team] or 0) + 1
          end
        end
        local sp, sb, sc, st1, st2, st6 = S[points], S[bonus], S[correct], S[s[1]], S[s[2]], S[s[6]]
        local rec = choices .. '|' .. sp .. '|' .. sb .. '|' .. sc .. '|' .. S[elapsed] .. '|' .. value
        done[pid] = rec
        taken = taken + 1
        stats_out[2 * taken - 1] = pid
        if s[11] then
          stats_out[2 * taken] = st1 .. ',' .. st2 .. ',' .. S[s[3]] .. ',' .. S[s[4]] .. ','
            .. S[s[5]] .. ',' .. st6 .. ',' .. S[s[7]] .. ',' .. S[s[8]] .. ',' .. S[s[9]] .. ','
            .. S[s[10]] .. ',' .. S[s[11]]
        else
          stats_out[2 * taken] = table.concat(s, ',')
        end
        answers_out[2 * taken - 1] = pid
        answers_out[2 * taken] = rec
        dirty[taken] = pid
        if texted and ARGV[4 * i + 2] == '1' and arg ~= '' then
          texts[arg] = (texts[arg] or 0) + 1
        end
        redis.call('XADD', KEYS[7], '*', 'p', pid, 'q', n, 'c', choices, 't', S[elapsed],
          'pts', sp, 'b', sb, 'ok', sc, 'tot', st1, 'str', st2, 'v', st6, 'val', value)
        local rank = redis.call('ZREVRANK', KEYS[5], pid)
        local streak = s[2]
        -- an unscored answer changes no streak: reply the one alive now
        if not scored and s[3] ~= prev_round then streak = 0 end
        replies[i] = {'ok', points, bonus, s[1], rank + 1, streak, correct, elapsed, s[6]}
      end
    end
  end
end

if taken > 0 then
  redis.call('HSET', KEYS[4], unpack(stats_out))
  redis.call('HSET', KEYS[3], unpack(answers_out))
  redis.call('HINCRBY', KEYS[2], 'answered', taken)
  for f, k in pairs(counts) do redis.call('HINCRBY', KEYS[2], f, k) end
  for text, k in pairs(texts) do redis.call('ZINCRBY', KEYS[9], k, text) end
  for team, tot in pairs(team_tot) do
    redis.call('HINCRBY', KEYS[10], 'tot' .. team, tot)
    redis.call('HINCRBY', KEYS[10], 'v' .. team, team_v[team])
  end
  redis.call('SADD', KEYS[8], unpack(dirty))
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[2], '*', 't', 'ans', 'q', n, 'k', taken)
end
return replies
