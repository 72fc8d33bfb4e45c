-- flush_clean: after the flusher committed, remove the dirty marks of the
-- players whose stats still carry the version it wrote.
--
-- Atomic per player: a change after the flush read the stats (an answer, a
-- kick) bumped the version and marked the player again, so the version check
-- and the SREM must not interleave with it, or that mark would be lost.
--
-- Layouts (engine/layout.py), read here:
--   Stats: 6 version
--
-- KEYS[1] g:{id}:dirty   KEYS[2] g:{id}:stats
-- ARGV    player id, version written, player id, version written, ...
--
-- Reply: the number of marks removed.
local n = 0
for i = 1, #ARGV, 2 do
  local st = redis.call('HGET', KEYS[2], ARGV[i])
  local v = st and string.match(st, '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(%d+)')
  if not st or v == ARGV[i + 1] then
    n = n + redis.call('SREM', KEYS[1], ARGV[i])
  end
end
return n
