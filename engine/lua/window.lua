-- window: the players ranked around one player (radius above and below).
--
-- A script because the range depends on the player's rank, read in the same
-- instant. O(radius) work.
--
-- KEYS[1] g:{id}:board   KEYS[2] g:{id}:players
-- ARGV[1] player id   ARGV[2] radius
--
-- Reply: {first_rank (1-based), player_id, nickname, total, ...} or {0}
-- when the player is not on the board.
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then return {0} end
local lo = math.max(0, rank - tonumber(ARGV[2]))
local r = redis.call('ZREVRANGE', KEYS[1], lo, rank + tonumber(ARGV[2]), 'WITHSCORES')
local out = {lo + 1}
for i = 1, #r, 2 do
  out[#out + 1] = tonumber(r[i])
  out[#out + 1] = redis.call('HGET', KEYS[2], r[i]) or ''
  out[#out + 1] = math.floor(tonumber(r[i + 1]) / 1073741824)
end
return out
