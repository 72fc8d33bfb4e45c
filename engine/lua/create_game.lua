-- create_game: lay down a new game and all its questions in one step.
--
-- Atomic because a half-created game (meta without its questions) would let
-- players join a game that cannot be played.
--
-- Layouts (engine/layout.py): the question hash (question_args gives the
-- values per question) and the meta hash (meta_new is what it writes).
--
-- KEYS[1]      g:{id}:meta
-- KEYS[2..n+1] g:{id}:q:1 .. g:{id}:q:n
-- ARGV[1]      n, the number of questions
-- ARGV[2..]    per question, 5 values: public JSON (text, choices, limit...),
--              the answer as submit_answer reads it ("1,3"), number of
--              choices or items, limit in ms, multiplier; then k and k
--              field, value pairs: the kind's static fields (kind, read_ms...)
-- then         meta settings as field, value pairs (reveal, max_players, ...)
--
-- Reply: {"ok", created_ms} or {"exists", created_ms} when the game is
-- already there (a replayed call changes nothing).
local meta = KEYS[1]
local existing = redis.call('HGET', meta, 'created_ms')
if existing then
  return {'exists', tonumber(existing)}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local base = 2
for i = 1, n do
  redis.call('HSET', KEYS[1 + i],
    'public', ARGV[base], 'correct', ARGV[base + 1], 'nchoices', ARGV[base + 2],
    'limit_ms', ARGV[base + 3], 'mult', ARGV[base + 4], 'state', 'ready',
    'answered', 0)
  base = base + 5
  for _ = 1, tonumber(ARGV[base]) do
    redis.call('HSET', KEYS[1 + i], ARGV[base + 1], ARGV[base + 2])
    base = base + 2
  end
  base = base + 1
end
redis.call('HSET', meta, 'state', 'lobby', 'q', 0, 'round', 0, 'nq', n,
  'created_ms', now, 'epoch', 1, 'next_pid', 0, 'count', 0, 'join_locked', 0)
for i = base, #ARGV, 2 do
  redis.call('HSET', meta, ARGV[i], ARGV[i + 1])
end
return {'ok', now}
