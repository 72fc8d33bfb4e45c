"""``restore_game``: a game laid down again in Redis from plain values (its
durable record), in one atomic script on the game's slot
(``engine/lua/restore_game.lua``). rebuild_game feeds it from PostgreSQL
after Redis lost the game; the PIN, on another slot, is claimed apart
(:func:`engine.ops.claim_pin`).

The caller gives what was recorded; the engine derives the rest the way
play would have left it: the meta hash of a new game overlaid with the
snapshot, the player count, the next player id, the board scores, the
per-choice counts, a dirty mark per player and an epoch past both records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import keys, kinds, teams
from .answer_log import GROUP
from .calls import EVENTS_MAXLEN, Op, script
from .calls import text as _s
from .layout import (
    QUESTION_PROGRESS,
    RecordedAnswer,
    Snapshot,
    Stats,
    meta_new,
    question_args,
    question_counts,
    question_texts,
)
from .scoring import composite
from .types import TEXT_KINDS, Question, Settings

# Meta fields the restore derives instead of taking from the snapshot.
DERIVED_META = ("epoch", "count", "next_pid")


@dataclass(frozen=True, slots=True)
class PlayerRecord:
    number: int
    nickname: str
    nickname_key: str  # the case-folded uniqueness key
    token_hash: str  # "": none recorded (the player's token stays refused)
    stats: Stats


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    question: int
    player: int
    answer: RecordedAnswer
    shown: bool = True  # a text the word filter lets the distribution show


@dataclass(frozen=True, slots=True)
class Restored:
    status: str  # "ok" or "game_exists"
    epoch: int = 0
    event: str = ""  # id of the resync event

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _pairs(fields: dict[str, Any]) -> list[Any]:
    return [len(fields), *(x for kv in fields.items() for x in kv)]


def restore_game(
    game: str,
    *,
    questions: Sequence[Question],
    settings: Settings,
    snapshot: Snapshot,
    players: Sequence[PlayerRecord],
    answers: Sequence[AnswerRecord],
    durable_epoch: int = 1,
    replace: bool = False,
    team_versions: dict[int, int] | None = None,
) -> Op[Restored]:
    """Every key of ``game`` from these values (``replace``: drop a game
    still there in the same step; otherwise refused with ``game_exists``).
    The teams' counters are derived from the players' stats;
    ``team_versions`` are the durable ones.
    Stats versions are kept as given: pass them past the durable ones, so
    the next flush writes them back."""
    n = len(questions)
    if not n:
        raise ValueError("a game needs at least one question")
    if any(not 1 <= a.question <= n for a in answers):
        raise ValueError(f"an answer to a question outside 1..{n}")
    epoch = max(snapshot.epoch, durable_epoch) + 1
    on_board = [p for p in players if not p.stats.kicked]
    meta: dict[str, Any] = meta_new(n, settings)
    meta.update((k, v) for k, v in snapshot.meta.items() if k not in DERIVED_META)
    meta.update(
        epoch=epoch,
        count=len(on_board),
        next_pid=max([snapshot.next_player, *(p.number for p in players)]),
    )
    given: dict[int, list[AnswerRecord]] = {}
    for a in answers:
        given.setdefault(a.question, []).append(a)
    args: list[Any] = [int(replace), EVENTS_MAXLEN, GROUP, epoch, n, *_pairs(meta)]
    for q in range(1, n + 1):
        done = snapshot.questions.get(q, {})
        question = questions[q - 1]
        mine = given.get(q, [])
        fields: dict[str, Any] = kinds.static_fields(question)
        fields |= {f: done[f] for f in QUESTION_PROGRESS if f in done}
        fields |= question_counts(question, [a.answer for a in mine])
        texts: dict[str, int] = {}
        if question.kind in TEXT_KINDS:
            texts = question_texts([(kinds.normalize(str(a.answer.value)), a.shown) for a in mine])
        args += [*question_args(question, q)[:5], *_pairs(fields), *_pairs(texts)]
    args.append(len(players))
    for p in players:
        st = p.stats
        score = "" if st.kicked else composite(st.total, st.reached_ms)
        args += [p.number, p.nickname, p.nickname_key, p.token_hash, st.pack(), score]
    args.append(len(answers))
    for a in answers:
        args += [a.question, a.player, a.answer.pack()]
    counts: dict[str, Any] = teams.counts_from_players(
        len(settings.team_names), [(p.stats.team, p.stats.total, p.stats.kicked) for p in players]
    )
    for t in range(len(settings.team_names)):
        # past the durable version, so the next flush writes the restored team back
        counts[f"v{t}"] = (team_versions or {}).get(t, 0) + 1
    args += _pairs(counts)

    def dec(r: list[Any]) -> Restored:
        x = r[0]
        if _s(x[0]) != "ok":
            return Restored(_s(x[0]))
        return Restored("ok", epoch, _s(x[1]))

    return Op([script("restore_game", keys.all_of(game, n), args)], dec)
