-- restore_game: lay a game down again from its durable record, after Redis
-- lost it (rebuild_game): the questions with their progress and per-choice
-- counts, the meta hash, the players with nickname index, token hashes,
-- stats and board scores, the one-answer guards, a dirty mark per player
-- (the next flush writes the stats' new versions back), the flusher's
-- consumer group, and a resync event for connected clients.
--
-- Atomic so that no one ever sees half a game: every other script checks
-- the meta hash first, and the meta, the players and their answers appear
-- in one step (with "replace", the old keys go in the same step). The one
-- script that does O(players + answers) work: it runs once per game, in
-- recovery, never in play.
--
-- Layouts (engine/layout.py): Stats and RecordedAnswer values are written
-- as Python packed them (not parsed here); the question and meta hashes
-- arrive as field, value pairs.
--
-- KEYS    every key of the game, in engine.keys.all_of order: [1] meta
--         [2] players [3] nicks [4] tokens [5] board [6] stats [7] events
--         [8] log [9] dirty, then q:1, ans:1, q:2, ans:2, ... (q:n is
--         KEYS[8 + 2n], ans:n is KEYS[9 + 2n]), then txt:1 .. txt:N (txt:n
--         is KEYS[9 + 2N + n]), then sync (only deleted here), then teams
--         (the last key)
-- ARGV[1] "1" to replace a game still there   ARGV[2] events stream MAXLEN
-- ARGV[3] the flusher's consumer group   ARGV[4] epoch   ARGV[5] n questions
-- then    m, and m meta field, value pairs (created_ms is Redis time unless given)
-- then    per question: its 5 create_game values (public JSON, correct
--         "1,3", number of choices, limit ms, multiplier), k, and k field,
--         value pairs (the kind's static fields, progress and counts), then
--         x, and x text, count pairs (the text sorted set)
-- then    p, and per player 6 values: id, nickname, nickname key, token hash
--         ("" for none), packed Stats, board score ("" when off the board)
-- then    a, and per answer 3 values: question n, player id, packed RecordedAnswer
-- then    t, and t field, value pairs of the teams hash (engine/teams.py)
--
-- Reply: {"ok", resync event id}. Refusal: {"game_exists"} (not replacing).
local meta = KEYS[1]
if redis.call('EXISTS', meta) == 1 then
  if ARGV[1] ~= '1' then return {'game_exists'} end
  for j = 1, #KEYS do redis.call('DEL', KEYS[j]) end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', meta, 'created_ms', now)
local i = 6
for _ = 1, tonumber(ARGV[i]) do
  redis.call('HSET', meta, ARGV[i + 1], ARGV[i + 2])
  i = i + 2
end
i = i + 1
for q = 1, tonumber(ARGV[5]) do
  redis.call('HSET', KEYS[8 + 2 * q],
    'public', ARGV[i], 'correct', ARGV[i + 1], 'nchoices', ARGV[i + 2],
    'limit_ms', ARGV[i + 3], 'mult', ARGV[i + 4], 'state', 'ready', 'answered', 0)
  i = i + 5
  for _ = 1, tonumber(ARGV[i]) do
    redis.call('HSET', KEYS[8 + 2 * q], ARGV[i + 1], ARGV[i + 2])
    i = i + 2
  end
  i = i + 1
  for _ = 1, tonumber(ARGV[i]) do
    redis.call('ZADD', KEYS[9 + 2 * tonumber(ARGV[5]) + q], ARGV[i + 2], ARGV[i + 1])
    i = i + 2
  end
  i = i + 1
end
for _ = 1, tonumber(ARGV[i]) do
  local pid = ARGV[i + 1]
  redis.call('HSET', KEYS[2], pid, ARGV[i + 2])
  redis.call('HSET', KEYS[3], ARGV[i + 3], pid)
  if ARGV[i + 4] ~= '' then redis.call('HSET', KEYS[4], ARGV[i + 4], pid) end
  redis.call('HSET', KEYS[6], pid, ARGV[i + 5])
  redis.call('SADD', KEYS[9], pid)
  if ARGV[i + 6] ~= '' then redis.call('ZADD', KEYS[5], ARGV[i + 6], pid) end
  i = i + 6
end
i = i + 1
for _ = 1, tonumber(ARGV[i]) do
  redis.call('HSET', KEYS[9 + 2 * tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3])
  i = i + 3
end
i = i + 1
for _ = 1, tonumber(ARGV[i]) do
  redis.call('HSET', KEYS[#KEYS], ARGV[i + 1], ARGV[i + 2])
  i = i + 2
end
local g = redis.pcall('XGROUP', 'CREATE', KEYS[8], ARGV[3], '0', 'MKSTREAM')
if type(g) == 'table' and g.err and not string.find(g.err, 'BUSYGROUP', 1, true) then
  return redis.error_reply(g.err)
end
local id = redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[2], '*', 't', 'resync', 'epoch', ARGV[4])
return {'ok', id}
