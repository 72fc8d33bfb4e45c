"""Nickname rules (quiz/nicknames.py, quiz/graphemes.py): every emoji a
phone keyboard types is one character, a name too long is refused with the
limit in the message (never cut), invisible characters stay out. The HTTP
join path of the same rules: tests/quiz/test_games.py."""

from __future__ import annotations

import pytest

from quiz.graphemes import grapheme_count
from quiz.nicknames import MAX_LENGTH, NicknameError, nickname_clean

ASTRONAUT = "\U0001f469\u200d\U0001f680"  # 👩‍🚀: woman, ZWJ, rocket
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈
THUMB_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽 (skin tone)
ASTRONAUT_DARK = "\U0001f9d1\U0001f3ff\u200d\U0001f680"  # 🧑🏿‍🚀
FLAG_DE = "\U0001f1e9\U0001f1ea"  # 🇩🇪: two regional indicators
FLAG_ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
KEYCAP_7 = "7\ufe0f\u20e3"  # 7️⃣
UNICORN = "\U0001f984"


@pytest.mark.parametrize(
    ("name", "count"),
    [
        (ASTRONAUT, 1), (FAMILY, 1), (RAINBOW_FLAG, 1), (THUMB_MEDIUM, 1), (ASTRONAUT_DARK, 1),
        (FLAG_DE, 1), (FLAG_ENGLAND, 1), (KEYCAP_7, 1), (FLAG_DE * 2, 2), ("Zoe\u0308", 3),
        (f"{ASTRONAUT} Astro", 7), ("Mia " + UNICORN, 5), ("فاطمة الزهراء", 13),
    ],
    ids=[
        "zwj", "family", "rainbow flag", "skin tone", "zwj with skin tone", "flag", "england",
        "keycap", "two flags", "combining mark", "astro", "mia", "arabic",
    ],
)  # fmt: skip
def test_graphemes_count_as_people_see_them(name: str, count: int) -> None:
    assert grapheme_count(name) == count


@pytest.mark.parametrize(
    "name",
    [
        f"{ASTRONAUT} Astro", f"Mia {UNICORN}", f"{FAMILY} Smiths", f"{RAINBOW_FLAG} Pride",
        f"{THUMB_MEDIUM} Sam", f"{ASTRONAUT_DARK} Nia", f"{FLAG_DE} Jonas", f"{FLAG_ENGLAND} fan",
        f"{KEYCAP_7} Seven", "たけし", "فاطمة الزهراء", "Maximilian Schneider",
    ],
)  # fmt: skip
def test_every_emoji_sequence_is_accepted(name: str) -> None:
    assert nickname_clean(name) == name


def test_twenty_emoji_sequences_fit() -> None:
    # 20 graphemes of 4 code points each: the column (100) holds them
    name = THUMB_MEDIUM * 10 + FLAG_DE * 10
    assert grapheme_count(name) == MAX_LENGTH
    assert nickname_clean(name) == name


@pytest.mark.parametrize("n", [15, 20])
def test_emoji_are_never_cut(n: int) -> None:
    assert nickname_clean(UNICORN * n) == UNICORN * n


@pytest.mark.parametrize(
    ("name", "count"),
    [(UNICORN * 21, 21), ("x" * 21, 21), (ASTRONAUT * 25, 25), ("Maximilian Schneiders", 21)],
)
def test_too_long_is_refused_with_the_limit(name: str, count: int) -> None:
    with pytest.raises(NicknameError) as e:
        nickname_clean(name)
    assert str(e.value) == f"a nickname has at most 20 characters (this one has {count})"


def test_twenty_long_sequences_are_refused_not_cut() -> None:
    # 20 graphemes but 140 code points: more than the column holds
    with pytest.raises(NicknameError, match="at most 20 characters"):
        nickname_clean(FAMILY * 20)


@pytest.mark.parametrize(
    "name",
    [
        "a\u200db",  # a joiner between letters: invisible
        f"{UNICORN}\u200d",  # a joiner joining nothing
        "\u200dMia",
        "zero\u200bwidth",
        "rtl\u202eoverride",
        "\U0001f3f4\U000e0067\U000e0062 tags",  # a tag sequence without its cancel tag
        "x\U000e0067",  # a tag outside a flag
    ],
    ids=["zwj letters", "zwj end", "zwj start", "zwsp", "bidi override", "open tags", "stray tag"],
)
def test_invisible_characters_are_refused(name: str) -> None:
    with pytest.raises(NicknameError, match="printable"):
        nickname_clean(name)


def test_word_filter_still_applies_beside_emoji() -> None:
    with pytest.raises(NicknameError, match="another nickname"):
        nickname_clean(f"{ASTRONAUT} shit")
