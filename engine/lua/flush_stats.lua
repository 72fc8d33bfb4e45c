-- flush_stats: the stats of a batch of players and the answer log's newest
-- entry id, for the append-only flusher. Read only.
--
-- Atomic so that the stats and the log's end are of one instant: a player
-- with no log entry after the returned id has every answer its stats count
-- in the log up to that id, so the flusher knows the stats are explained by
-- the answers it copies (docs/persistence.md, "One flush of one game").
-- O(batch): the caller bounds the batch (STADIUM_FLUSH_BATCH).
--
-- Layouts (engine/layout.py): passes Stats values through unparsed.
--
-- KEYS[1] g:{id}:stats   KEYS[2] g:{id}:log
-- ARGV    player ids
--
-- Reply: {newest log id or "", stats or "" per player, in ARGV order}.
local out = {''}
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if newest[1] then out[1] = newest[1][1] end
-- HMGET in steps of 1000 fields: unpack is bounded by Lua's C stack
for i = 1, #ARGV, 1000 do
  local j = math.min(i + 999, #ARGV)
  local got = redis.call('HMGET', KEYS[1], unpack(ARGV, i, j))
  for k = i, j do out[k + 1] = got[k - i + 1] or '' end
end
return out
