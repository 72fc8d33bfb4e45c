-- flush_stats: for the append-only flusher, the stats of a batch of players
-- and the answer log's newest entry id, read in one instant; and the
-- release of the dirty marks those stats show to be redundant.
--
-- Atomic so that the stats and the log's end are of one instant: a player
-- with no log entry after the returned id has every answer its stats count
-- in the log up to that id, so the flusher knows the stats are explained by
-- the answers it copies (docs/persistence.md, "One flush of one game"). A
-- player whose stats version is the one its last answer in the batch left
-- (ARGV) changed by nothing but answers the log still holds after
-- PostgreSQL's position: its dirty mark says nothing more and goes now,
-- checked and removed in the same instant, so a change landing after the
-- read (a kick) keeps its mark. O(batch): the caller bounds the batch
-- (STADIUM_FLUSH_BATCH).
--
-- Layouts (engine/layout.py): Stats 6 version, 7 reached_ms (read here, as
-- integers, so the flusher decodes no string for them); the value itself
-- is passed through unparsed.
--
-- KEYS[1] g:{id}:stats   KEYS[2] g:{id}:log   KEYS[3] g:{id}:dirty
-- ARGV    player id, version of its last answer in the batch (0: none, keep
--         the mark), player id, version, ...
--
-- Reply: {newest log id or "", then per player in ARGV order three values:
-- the stats or "" (none), the version, reached_ms (0, 0 with none)}.
local out = {''}
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if newest[1] then out[1] = newest[1][1] end
local n = #ARGV / 2
local ids = {}
for k = 1, n do ids[k] = ARGV[2 * k - 1] end
local gone = {}
-- HMGET in steps of 1000 fields: unpack is bounded by Lua's C stack
for i = 1, n, 1000 do
  local j = math.min(i + 999, n)
  local got = redis.call('HMGET', KEYS[1], unpack(ids, i, j))
  for k = i, j do
    local st = got[k - i + 1]
    local at = 3 * k - 1
    if st then
      local v, r = string.match(st, '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(%d+),(%d+)')
      out[at], out[at + 1], out[at + 2] = st, tonumber(v), tonumber(r)
      if v == ARGV[2 * k] then gone[#gone + 1] = ids[k] end
    else
      out[at], out[at + 1], out[at + 2] = '', 0, 0
    end
  end
end
for i = 1, #gone, 1000 do
  redis.call('SREM', KEYS[3], unpack(gone, i, math.min(i + 999, #gone)))
end
return out
