-- top_texts: the N most given texts of a question, by count, then text.
--
-- A script because the second read depends on the first: equal counts must
-- come in text order (a sorted set gives members of one score in byte
-- order only through ZRANGEBYSCORE), and the entries above the Nth count
-- come first. O(log texts + N) work, whatever the number of answers.
--
-- KEYS[1] g:{id}:txt:<n> (member: normalized text, score: its count)
-- ARGV[1] N
--
-- Reply: flat list {text, count, ...}, count descending then text ascending.
local n = tonumber(ARGV[1])
local last = redis.call('ZREVRANGE', KEYS[1], n - 1, n - 1, 'WITHSCORES')
local out = {}
local floor = '-inf'
if #last > 0 then floor = '(' .. last[2] end
local above = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', floor, 'WITHSCORES')
-- above: count descending, equal counts in reverse byte order: regroup them
local i = 1
while i <= #above do
  local j = i
  while j + 2 <= #above and above[j + 3] == above[i + 1] do j = j + 2 end
  for k = j, i, -2 do
    out[#out + 1] = above[k]
    out[#out + 1] = tonumber(above[k + 1])
  end
  i = j + 2
end
if #last > 0 then
  local room = n - #out / 2
  local tied = redis.call('ZRANGEBYSCORE', KEYS[1], last[2], last[2], 'LIMIT', 0, room)
  for _, text in ipairs(tied) do
    out[#out + 1] = text
    out[#out + 1] = tonumber(last[2])
  end
end
return out
