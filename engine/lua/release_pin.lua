-- release_pin: free a PIN, but only if it still maps to this game.
--
-- Atomic because a GET then DEL could drop a PIN that a newer game claimed
-- in between.
--
-- KEYS[1] pin:<pin>   ARGV[1] game id
-- Reply: {"ok", changed}.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'ok', 1}
end
return {'ok', 0}
