-- join: add a player to a game, with the nickname unique ignoring case.
--
-- Atomic because the uniqueness check, the capacity check, the team's
-- member count and the writes must not interleave with another join (two
-- auto-assigned joins must not both take the emptiest team's place).
--
-- Layouts (engine/layout.py), written here (every field: a new player's):
--   Stats: 1 total, 2 streak, 3 streak_round, 4 correct, 5 best, 6 version, 7 reached_ms, 8 last_round, 9 last_points, 10 kicked, 11 team
--   the teams hash (engine/teams.py): mem<i>, v<i>
--
-- KEYS[1] g:{id}:meta     KEYS[2] g:{id}:players  KEYS[3] g:{id}:nicks
-- KEYS[4] g:{id}:tokens   KEYS[5] g:{id}:board    KEYS[6] g:{id}:stats
-- KEYS[7] g:{id}:events   KEYS[8] g:{id}:dirty    KEYS[9] g:{id}:teams
-- ARGV[1] nickname as shown   ARGV[2] nickname key (case-folded)
-- ARGV[3] sha256 of the player's token   ARGV[4] events stream MAXLEN
-- ARGV[5] the team chosen: an index (mode "choose"), "" (auto, or no teams)
--
-- Reply: {"ok", player_id, joined_ms, team} (team -1: no teams); a replay
-- with the same token hash returns the same player. Refusals:
-- {"unknown_game"}, {"game_finished"}, {"game_started"} (late join off and
-- a question was started: the reason players must hear, even if the host
-- also locked), {"join_locked"} (the host locked joining), {"game_full"},
-- {"nickname_taken"}, {"bad_team"} (an index in auto mode or without
-- teams, none or out of range in choose mode).
local meta = KEYS[1]
local m = redis.call('HMGET', meta, 'state', 'created_ms', 'count', 'max_players',
  'late_join', 'join_locked', 'tn', 'tassign')
if not m[1] then return {'unknown_game'} end
local known = redis.call('HGET', KEYS[4], ARGV[3])
if known then
  local st = redis.call('HGET', KEYS[6], known) or ''
  local team = tonumber(string.match(st, '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(-?%d+)') or -1)
  return {'ok', tonumber(known), 0, team}
end
local nteams = tonumber(m[7] or 0)
local team = -1
if nteams == 0 or m[8] == 'auto' then
  if ARGV[5] ~= '' then return {'bad_team'} end
else
  team = tonumber(ARGV[5])
  if not team or team ~= math.floor(team) or team < 0 or team >= nteams then
    return {'bad_team'}
  end
end
if m[1] == 'finished' then return {'game_finished'} end
if m[1] ~= 'lobby' and m[5] == '0' then return {'game_started'} end
if m[6] == '1' then return {'join_locked'} end
local maxp = tonumber(m[4] or '0')
if maxp > 0 and tonumber(m[3]) >= maxp then return {'game_full'} end
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then return {'nickname_taken'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = now - tonumber(m[2])
if nteams > 0 and m[8] == 'auto' then
  -- the team with the fewest members, ties to the lowest index: O(teams)
  local f = {}
  for i = 0, nteams - 1 do f[#f + 1] = 'mem' .. i end
  local mem = redis.call('HMGET', KEYS[9], unpack(f))
  local fewest = nil
  for i = 0, nteams - 1 do
    local c = tonumber(mem[i + 1] or 0)
    if fewest == nil or c < fewest then fewest = c; team = i end
  end
end
local pid = redis.call('HINCRBY', meta, 'next_pid', 1)
redis.call('HINCRBY', meta, 'count', 1)
redis.call('HSET', KEYS[2], pid, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[2], pid)
redis.call('HSET', KEYS[4], ARGV[3], pid)
-- composite score: total * 2^30 + (2^30 - 1 - ms since the game opened)
redis.call('ZADD', KEYS[5], 1073741823 - ms, pid)
-- stats: a new player's (layout above): version 1, reached_ms = join time
redis.call('HSET', KEYS[6], pid, '0,0,0,0,0,1,' .. ms .. ',0,0,0,' .. team)
if team >= 0 then
  redis.call('HINCRBY', KEYS[9], 'mem' .. team, 1)
  redis.call('HINCRBY', KEYS[9], 'v' .. team, 1)
end
redis.call('SADD', KEYS[8], pid)
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[4], '*', 't', 'join', 'p', pid)
return {'ok', pid, ms, team}
