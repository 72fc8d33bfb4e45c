-- flush_read: the stats and rank of a batch of changed players, for the
-- flusher. Read only.
--
-- A script (not a pipeline of HGET and ZREVRANK) so that a batch costs one
-- reply per player and one round trip; each player's stats and rank are read
-- in the same instant. O(batch * log players): the caller bounds the batch
-- (STADIUM_FLUSH_BATCH), so it runs for milliseconds.
--
-- Layouts (engine/layout.py): passes Stats values through unparsed.
--
-- KEYS[1] g:{id}:stats   KEYS[2] g:{id}:board
-- ARGV    player ids
--
-- Reply: flat {stats or "", rank (0-based) or -1, ...}, one pair per player.
local out = {}
for i = 1, #ARGV do
  out[2 * i - 1] = redis.call('HGET', KEYS[1], ARGV[i]) or ''
  out[2 * i] = redis.call('ZREVRANK', KEYS[2], ARGV[i]) or -1
end
return out
