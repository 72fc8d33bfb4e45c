-- flush_group: the flusher's consumer group on the answer log, reading from
-- the log's start (MKSTREAM: a game with no answer yet has no log). Again
-- after a Redis restart lost it; nothing when it is there.
--
-- A script so that "already there" is a reply, not an error that every
-- caller would have to tell apart from a real one.
--
-- KEYS[1] g:{id}:log   ARGV[1] group name
--
-- Reply: {"ok", created} (created 0 when the group was there).
local r = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
if type(r) == 'table' and r.err then
  if string.find(r.err, 'BUSYGROUP', 1, true) then return {'ok', 0} end
  return redis.error_reply(r.err)
end
return {'ok', 1}
