"""Generated player names, for games whose host wants no nickname to read.

A name is an adjective, an animal and a number from 1 to 999, in the
player's language ("Brave Otter 42", "Zorro Veloz 7", "Flinke Katze 3",
"أسد شجاع 12", "はやいキツネ5"), from the lists of quiz.friendly_words. With
the game setting ``names``:

- ``off``: players type their nickname (the default);
- ``offered``: the join page proposes one (``GET /api/games/<pin>/name``, as
  often as the player rerolls) and a player may still type their own;
- ``required``: only generated names: a join without a nickname gets one,
  a join with a nickname must carry one this module generated (the
  suggestion the player kept).

Names are unique in a game like every nickname (the engine's nickname
index): the join draws again when one is taken.
"""

from __future__ import annotations

import random
import re
from functools import cache, lru_cache

from . import friendly_words as w

LANGUAGES = ("en", "es", "de", "fr", "pt", "ar", "ja")
DEFAULT_LANGUAGE = "en"
NUMBER_MAX = 999
MODES = ("off", "offered", "required")

_rng = random.SystemRandom()
_NUMBER = re.compile(r"[1-9][0-9]{0,2}$")


def _de(stem: str, gender: str) -> str:
    ending = w.DE_ENDINGS[gender]
    if stem.endswith("e"):  # leise -> leiser, leise, leises
        ending = ending[1:] if ending.startswith("e") else ending
    return (stem + ending).capitalize()


@cache
def prefixes(lang: str) -> tuple[str, ...]:
    """Every name of ``lang`` without its number, the separator included."""
    if lang == "en":
        return tuple(f"{a} {b} " for a in w.EN_ADJECTIVES for b in w.EN_ANIMALS)
    if lang == "es":
        return tuple(f"{b} {a} " for a in w.ES_ADJECTIVES for b in w.ES_ANIMALS)
    if lang == "fr":
        return tuple(f"{b} {a} " for a in w.FR_ADJECTIVES for b in w.FR_ANIMALS)
    if lang == "pt":
        return tuple(f"{b} {a} " for a in w.PT_ADJECTIVES for b in w.PT_ANIMALS)
    if lang == "de":
        return tuple(f"{_de(a, g)} {b} " for a in w.DE_ADJECTIVES for b, g in w.DE_ANIMALS)
    if lang == "ar":
        return tuple(f"{b} {a} " for a in w.AR_ADJECTIVES for b in w.AR_ANIMALS)
    if lang == "ja":
        return tuple(f"{a}{b}" for a in w.JA_ADJECTIVES for b in w.JA_ANIMALS)
    raise ValueError(f"no word lists for {lang!r}")


@lru_cache(maxsize=1)
def _all_prefixes() -> frozenset[str]:
    return frozenset(p for lang in LANGUAGES for p in prefixes(lang))


def language_pick(requested: str | None) -> str:
    """The word lists for a requested language: a tag ("de-CH") or an
    Accept-Language header ("pt-BR,pt;q=0.9,en;q=0.8"), the first one we
    have; English otherwise."""
    for part in (requested or "").split(","):
        base = part.split(";")[0].strip().lower().split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def name_generate(*, lang: str, rng: random.Random | None = None) -> str:
    r = rng or _rng
    return f"{r.choice(prefixes(language_pick(lang)))}{r.randint(1, NUMBER_MAX)}"


def name_is_generated(name: str) -> bool:
    """Whether ``name`` is one :func:`name_generate` can give, in any
    language (a player keeps the suggestion shown in theirs)."""
    m = _NUMBER.search(name)
    return m is not None and name[: m.start()] in _all_prefixes()
