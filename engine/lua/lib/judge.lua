-- judge: what one answer's value is worth at one question and one time,
-- the scoring rules of every kind in one place (docs/engine.md, "Scoring").
-- Not a script of its own: engine/scripts.py puts this text where a script
-- says "--@include judge" (submit_answer.lua, submit_batch.lua), so both
-- score by the same lines.
--
-- Expects, as locals of the including script: kind, q (the question hash's
-- fields as submit_answer reads them: 4 correct, 14 nsteps, 15 ans, 16 tol,
-- 17 nb), nchoices, scored, mult, elapsed and limit (ms, paused time out).
-- Defines: timed(per), indexes(arg), the question's right choices and accepted texts,
-- and judge(arg) -> {choices, right, base, count fields} or a refusal code
-- ('bad_choice', 'bad_value').

-- S: the time-scaled points of a right answer worth per, as the docs state:
-- round(per * (1 - (t / T) / 2)) in integers: floor((per*(2T - t) + T) / 2T)
local function timed(per)
  if elapsed < 500 then return per end
  return math.floor((per * (2 * limit - elapsed) + limit) / (2 * limit))
end
local good, nright = {}, 0
local accepted = {}
if kind == 'choice' or kind == 'true_false' or kind == 'poll' then
  for v in string.gmatch(q[4], '%d+') do good[tonumber(v)] = true; nright = nright + 1 end
elseif kind == 'type_answer' and scored then
  for _, a in ipairs(cjson.decode(q[4])) do accepted[a] = true end
end

-- The distinct whole numbers in [0, nchoices) of "a,b,c", in order; nil
-- when any is not one (a choice list and an ordering are both such lists).
local function indexes(arg)
  local seen, out = {}, {}
  for v in string.gmatch(arg, '[^,]+') do
    local c = tonumber(v)
    if not c or c ~= math.floor(c) or c < 0 or c >= nchoices or seen[c] then return nil end
    seen[c] = true
    out[#out + 1] = c
  end
  return out
end

-- {choices, right, base, count fields} or a refusal
local function judge(arg)
  local right, base = false, 0
  local picked = {}
  local choices = ''
  if kind == 'choice' or kind == 'true_false' or kind == 'poll' then
    local cs = indexes(arg)
    if not cs or #cs == 0 or (kind == 'poll' and #cs > 1) then return 'bad_choice' end
    local hits, wrong = 0, 0
    for i, c in ipairs(cs) do
      picked[i] = 'c' .. c
      if good[c] then hits = hits + 1 else wrong = wrong + 1 end
    end
    choices = arg
    if scored then
      right = hits > 0 and wrong == 0
      if right then
        local per = 1000 * mult
        if nright > 1 then per = 500 * mult * hits end
        base = timed(per)
      end
    end
  elseif kind == 'slider' then
    local k = tonumber(arg)
    local n = tonumber(q[14])
    if not k or k ~= math.floor(k) or k < 0 or k > n then return 'bad_value' end
    local d = math.abs(k - tonumber(q[15]))
    local tol = tonumber(q[16])
    local nb = tonumber(q[17])
    picked[1] = 'h' .. math.min(nb - 1, math.floor(k * nb / n))
    right = d <= tol
    if right then
      local full = timed(1000 * mult)
      if tol == 0 then base = full
      -- round(S * (1 - d / (2 tol))), half up, in integers
      else base = math.floor((full * (2 * tol - d) + tol) / (2 * tol)) end
    end
  elseif kind == 'ordering' then
    local cs = indexes(arg)
    if not cs or #cs ~= nchoices then return 'bad_value' end
    right = arg == q[4]
    picked[1] = right and 'c0' or 'c1'
    if right then base = timed(1000 * mult) end
  elseif kind == 'type_answer' or kind == 'word_cloud' then
    if scored and accepted[arg] then
      right = true
      base = timed(1000 * mult)
    end
  else
    return 'bad_value'
  end
  return {choices, right, base, picked}
end
