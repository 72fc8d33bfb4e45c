-- top: the first N of the board with nicknames and decoded totals.
--
-- A script (not a pipeline) because the nicknames depend on the ids the
-- range returns; one round trip per leaderboard tick. O(N) work.
--
-- KEYS[1] g:{id}:board   KEYS[2] g:{id}:players
-- ARGV[1] first rank (0-based)   ARGV[2] last rank (0-based, inclusive)
--
-- Reply: flat list {player_id, nickname, total, ...} in rank order, totals
-- decoded from the composite score (total * 2^30 + time part) as integers.
local r = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
local out = {}
for i = 1, #r, 2 do
  local pid = r[i]
  out[#out + 1] = tonumber(pid)
  out[#out + 1] = redis.call('HGET', KEYS[2], pid) or ''
  out[#out + 1] = math.floor(tonumber(r[i + 1]) / 1073741824)
end
return out
