-- flush_log: where the flusher's consumer group stands in the answer log:
-- the newest entry, the entries delivered but not acknowledged (how many,
-- the oldest) and the last id delivered. Read only.
--
-- A script so that the four are read in one instant, and a log or a group
-- that does not exist reads as empty instead of failing.
--
-- KEYS[1] g:{id}:log   ARGV[1] group name
--
-- Reply: {newest id or "", pending count, oldest pending id or "",
-- last delivered id or ""} ("" for the last three when there is no group).
if redis.call('EXISTS', KEYS[1]) == 0 then return {'', 0, '', ''} end
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local top = newest[1] and newest[1][1] or ''
local delivered = ''
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  if f['name'] == ARGV[1] then delivered = f['last-delivered-id'] end
end
if delivered == '' then return {top, 0, '', ''} end
local p = redis.call('XPENDING', KEYS[1], ARGV[1])
return {top, p[1], p[2] or '', delivered}
