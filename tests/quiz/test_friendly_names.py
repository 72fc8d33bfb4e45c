"""Generated player names (quiz/friendly_names.py): the word lists in seven
languages, the join of a game whose names are offered or required, the
suggestion the join page rerolls, and 1,000 joins that all get a name of
their own."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.test import Client

from engine import ops
from quiz.friendly_names import (
    LANGUAGES,
    language_pick,
    name_generate,
    name_is_generated,
    prefixes,
)
from quiz.models import Game
from quiz.nicknames import nickname_clean, nickname_key, nickname_offensive
from quiz.redis import sync_engine

from .conftest import post
from .test_games import join, refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_name_of_every_language_is_a_valid_clean_nickname(lang: str) -> None:
    for prefix in prefixes(lang):
        longest = f"{prefix}999"
        # the nickname rules keep it as it is: 20 characters at most, no
        # character they refuse or change, nothing the word filter flags
        assert nickname_clean(longest) == longest, longest
        assert not nickname_offensive(longest), longest
        assert name_is_generated(longest)


def test_names_per_language_read_right() -> None:
    rng = random.Random(5)
    shapes = {
        "en": r"^[A-Z][a-z]+ [A-Z][a-z]+ [1-9]\d{0,2}$",
        "ja": r"^[\u3040-\u30ff]+[1-9]\d{0,2}$",
        "ar": r"^[\u0600-\u06ff]+ [\u0600-\u06ff]+ [1-9]\d{0,2}$",
    }
    for lang, shape in shapes.items():
        for _ in range(50):
            assert re.match(shape, name_generate(lang=lang, rng=rng))
    # German adjectives agree with the animal's gender; Spanish, French and
    # Portuguese put the adjective after the animal
    de = set(prefixes("de"))
    assert {"Flinker Fuchs ", "Flinke Katze ", "Flinkes Pferd ", "Leiser Wal ", "Leise Eule "} <= de
    assert "Flinke Fuchs " not in de and "Leisee Eule " not in de
    assert "Zorro Veloz " in prefixes("es") and "Renard Agile " in prefixes("fr")
    assert "Raposa Veloz " in prefixes("pt") and "أسد شجاع " in prefixes("ar")
    assert "はやいキツネ" in prefixes("ja")


def test_language_pick_reads_tags_and_accept_language() -> None:
    assert language_pick("de-CH") == "de"
    assert language_pick("pt-BR,pt;q=0.9,en;q=0.8") == "pt"
    assert language_pick("nl-NL, ja;q=0.5") == "ja"
    assert language_pick("nl") == "en"
    assert language_pick(None) == "en"


def test_only_generated_names_pass_the_check() -> None:
    assert name_is_generated("Brave Otter 42")
    assert name_is_generated("はやいキツネ5")
    for other in ("Brave Otter", "Brave Otter 0", "Brave Otter 042", "Brave Otter 1000",
                  "brave otter 42", "Otter Brave 42", "Mia 🦄", "Flinke Fuchs 3"):  # fmt: skip
        assert not name_is_generated(other), other


def test_open_game_names_default_off_and_public(anon: Client, open_game: Any) -> None:
    g = open_game()
    assert g["names"] == "off"
    assert anon.get(f"/api/games/{g['pin']}").json()["names"] == "off"
    # off: a nickname is needed, and there is no suggestion
    refused(post(anon, f"/api/games/{g['pin']}/players", {}), 400, "nickname_invalid")
    refused(anon.get(f"/api/games/{g['pin']}/name"), 409, "names_off")
    refused(anon.get("/api/games/999999/name"), 404, "unknown_game")


def test_offered_names_suggested_and_typed_names_still_welcome(
    anon: Client, open_game: Any
) -> None:
    g = open_game(names="offered")
    pin = g["pin"]
    assert Game.objects.get(key=g["game"]).names == "offered"
    assert anon.get(f"/api/games/{pin}").json()["names"] == "offered"
    suggested = anon.get(f"/api/games/{pin}/name", {"lang": "fr"}).json()["nickname"]
    assert name_is_generated(suggested) and suggested.startswith(tuple(prefixes("fr")))
    # a reroll is another call: a different name (of 420,000 French ones)
    again = {
        anon.get(f"/api/games/{pin}/name", {"lang": "fr"}).json()["nickname"] for _ in range(5)
    }
    assert len(again | {suggested}) > 1
    kept = join(anon, pin, suggested)
    assert (kept.status_code, kept.json()["nickname"]) == (201, suggested)
    typed = join(anon, pin, "Mia 🦄")
    assert (typed.status_code, typed.json()["nickname"]) == (201, "Mia 🦄")
    given = post(anon, f"/api/games/{pin}/players", {"lang": "ja"})
    assert given.status_code == 201, given.content
    assert given.json()["nickname"].startswith(tuple(prefixes("ja")))
    # the language of the browser when the body names none
    german = anon.post(f"/api/games/{pin}/players", "{}", content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")  # fmt: skip
    assert german.json()["nickname"].startswith(tuple(prefixes("de")))


def test_required_names_refuse_typed_ones(anon: Client, open_game: Any) -> None:
    g = open_game(names="required")
    pin = g["pin"]
    refused(join(anon, pin, "Mia 🦄"), 400, "names_generated")
    kept = join(anon, pin, "Brave Otter 42")
    assert (kept.status_code, kept.json()["nickname"]) == (201, "Brave Otter 42")
    # taken by someone else: a typed (kept) suggestion is refused as taken,
    # never renamed behind the player's back
    refused(join(anon, pin, "brave otter 42"), 400, "names_generated")
    refused(join(anon, pin, "Brave Otter 42"), 409, "nickname_taken")


def test_a_thousand_joins_get_a_thousand_different_names(
    anon: Client, open_game: Any, settings: Any
) -> None:
    settings.STADIUM = {**settings.STADIUM, "DEFAULT_MAX_PLAYERS": 5000}
    g = open_game(names="required", max_players=2000)
    pin = g["pin"]
    names = []
    for i in range(1000):
        r = post(anon, f"/api/games/{pin}/players", {"lang": LANGUAGES[i % len(LANGUAGES)]})
        assert r.status_code == 201, r.content
        names.append(r.json()["nickname"])
    assert len({nickname_key(n) for n in names}) == 1000
    assert all(name_is_generated(n) for n in names)
    # each in the language asked for
    for i, n in enumerate(names):
        assert n.startswith(tuple(prefixes(LANGUAGES[i % len(LANGUAGES)]))), (i, n)
    state = sync_engine().run(ops.game_state(g["game"]))
    assert state is not None and state.players == 1000 and state.names == "required"
