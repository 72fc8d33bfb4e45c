"""The SQL of the game report (quiz/services/report.py, docs/reports.md).

Every number of the report is an aggregate PostgreSQL computes over the
game's Answer rows; Python only shapes the few rows each query returns
(per question, per choice, per bucket, per distinct text, per team). The one
exception is the per-player list, which is the data itself: one row per
player, its answers already a JSON array built by ``json_agg``.

All queries take ``%(g)s``, the game's primary key.
"""

from __future__ import annotations

# Per question: answered, right (scored kinds: correct is true), scored
# (correct is not null), mean and median response time, points given
# (bonus included, as in Answer.points).
QUESTION_STATS = """
SELECT question,
       count(*) AS answered,
       count(*) FILTER (WHERE correct) AS right_,
       count(*) FILTER (WHERE correct IS NOT NULL) AS scored,
       avg(elapsed_ms)::float8 AS mean_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY elapsed_ms) AS median_ms,
       coalesce(sum(points), 0)::bigint AS points
FROM quiz_answer
WHERE game_id = %(g)s
GROUP BY question
"""

# Response-time histogram: 10 equal buckets over 0..T ms per question (T:
# the time limit plus the host's extensions), each [from, to) but the last,
# which is closed (and takes any later time too).
TIMES = """
SELECT a.question,
       least(greatest(width_bucket(a.elapsed_ms, 0, t.limit_ms, %(nb)s), 1), %(nb)s) AS bucket,
       count(*) AS n
FROM quiz_answer a
JOIN unnest(%(qs)s::int[], %(limits)s::int[]) AS t(question, limit_ms) USING (question)
WHERE a.game_id = %(g)s
GROUP BY 1, 2
"""

# Choice kinds (choice, true_false, poll): answers per choice index; a
# multi-select answer counts once for each choice it picked.
CHOICE_COUNTS = """
SELECT a.question, c.idx::int AS idx, count(*) AS n
FROM quiz_answer a
CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(a.value, a.choices)) AS c(idx)
WHERE a.game_id = %(g)s AND a.question = ANY(%(qs)s::int[])
  AND jsonb_typeof(coalesce(a.value, a.choices)) = 'array'
GROUP BY 1, 2
"""

# Sliders: the value's grid index k = (value - min) / step, bucketed as the
# engine does at the close (submit_answer.lua: min(nb - 1, floor(k * nb /
# nsteps))): width_bucket over 0..nsteps, the top (k = nsteps) folded into
# the last bucket.
SLIDER_BUCKETS = """
SELECT a.question,
       least(width_bucket(round((a.value::numeric - s.lo) / s.step), 0, s.nsteps, s.nb), s.nb)
         AS bucket,
       count(*) AS n
FROM quiz_answer a
JOIN unnest(%(qs)s::int[], %(lo)s::numeric[], %(step)s::numeric[], %(nsteps)s::int[],
            %(nbs)s::int[]) AS s(question, lo, step, nsteps, nb) USING (question)
WHERE a.game_id = %(g)s AND jsonb_typeof(a.value) = 'number'
GROUP BY 1, 2
"""

# Text kinds (type_answer, word_cloud): counts per distinct text as given.
# The service folds them into normalized texts (engine.kinds.normalize: NFKC,
# case folding, Unicode punctuation, which PostgreSQL's lower() and regexes
# do not match exactly) and drops those the word filter refuses: a loop over
# distinct texts, never over answers.
TEXT_COUNTS = """
SELECT a.question, a.value #>> '{}' AS text, count(*) AS n
FROM quiz_answer a
WHERE a.game_id = %(g)s AND a.question = ANY(%(qs)s::int[]) AND jsonb_typeof(a.value) = 'string'
GROUP BY 1, 2
"""

# Per team: right and scored answers of its members (kicked players are off
# their team, as in the team board).
TEAM_SHARES = """
SELECT p.team,
       count(*) FILTER (WHERE a.correct) AS right_,
       count(*) FILTER (WHERE a.correct IS NOT NULL) AS scored
FROM quiz_answer a
JOIN quiz_player p ON p.id = a.player_id
WHERE a.game_id = %(g)s AND p.team IS NOT NULL AND NOT p.kicked
GROUP BY 1
"""

# Every player, ranked (kicked players, rank 0, last, in join order), with
# the answers as a JSON array in question order.
PLAYERS = """
SELECT p.number, p.nickname, p.team, coalesce(s.rank, 0) AS rank, coalesce(s.total, 0) AS score,
       p.kicked,
       coalesce((
         SELECT json_agg(json_build_object(
                  'question', a.question, 'value', coalesce(a.value, a.choices),
                  'correct', a.correct, 'points', a.points, 'elapsed_ms', a.elapsed_ms)
                ORDER BY a.question)
         FROM quiz_answer a WHERE a.player_id = p.id), '[]')::text AS answers
FROM quiz_player p
LEFT JOIN quiz_score s ON s.player_id = p.id
WHERE p.game_id = %(g)s
ORDER BY coalesce(s.rank, 0) = 0, coalesce(s.rank, 0), p.number
"""

COUNTS = """
SELECT (SELECT count(*) FROM quiz_player WHERE game_id = %(g)s),
       (SELECT count(*) FROM quiz_answer WHERE game_id = %(g)s)
"""
