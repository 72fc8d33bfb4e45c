"""Nicknames: the rules a nickname must pass before it reaches Redis.

1-20 printable characters after trimming, counted as people see them
(graphemes: "👩‍🚀" or "🇩🇪" is one, see :mod:`quiz.graphemes`); Unicode
letters and every emoji welcome (ZWJ sequences, skin tones, flags,
keycaps), control and invisible format characters refused; at most
``MAX_CODE_POINTS`` code points in all (the column's size); and a small
word filter. A name too long is refused, never cut. The
filter folds case, accents and leetspeak (0->o, 1->i/l, 3->e, 4->a, 5->s,
7->t, @->a, $->s) and ignores separators, so "F.u_C-k" and "5h1t" are
caught. Strong words are refused anywhere in the name; short ones that
hide inside innocent words (the Scunthorpe problem: "Cassandra") only as
a whole word.
"""

from __future__ import annotations

import re
import unicodedata

from .graphemes import ZWJ, GraphemeError, graphemes

MAX_LENGTH = 20  # graphemes
# What the database column holds (quiz.Player.nickname); 20 graphemes of
# emoji ZWJ sequences could need more: refused then, with the same limit
# named in the message.
MAX_CODE_POINTS = 100

# Refused anywhere in the folded nickname.
BLOCKED_ANYWHERE = frozenset(
    {
        "fuck", "shit", "cunt", "bitch", "nigger", "nigga", "faggot", "whore", "slut",
        "wanker", "bastard", "asshole", "dickhead", "motherf", "retard", "pussy", "penis",
        "vagina", "porn", "hitler", "kkk",
    }
)  # fmt: skip
# Refused only as a whole word (they occur inside harmless words: "Hancock",
# "therapist", "Nazir", "Cassandra").
BLOCKED_WORDS = frozenset(
    {"ass", "arse", "fag", "tit", "tits", "cum", "cock", "cocks", "rape", "rapist", "nazi", "sex"}
)
# Innocent words that contain a blocked one; removed before the check.
ALLOWED = ("scunthorpe", "shiitake", "penistone", "snigger")

_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


class NicknameError(ValueError):
    """The nickname breaks a rule; the message says which, for a human."""


def nickname_clean(raw: str) -> str:
    """The nickname as it will be shown: trimmed, NFC, checked (raises
    :class:`NicknameError`)."""
    name = unicodedata.normalize("NFC", raw.strip())
    if not name:
        raise NicknameError("a nickname cannot be empty")
    try:
        chars = graphemes(name)
    except GraphemeError as e:
        raise NicknameError(f"a nickname may only contain printable characters ({e})") from e
    if len(chars) > MAX_LENGTH or len(name) > MAX_CODE_POINTS:
        # counted as people count: an emoji is one character
        raise NicknameError(
            f"a nickname has at most {MAX_LENGTH} characters (this one has {len(chars)})"
            if len(chars) > MAX_LENGTH
            else f"a nickname has at most {MAX_LENGTH} characters, and these emoji take too much room"
        )
    # isprintable() is False for control, format (zero-width) and line
    # separator characters; a plain space is fine inside a name. The
    # joiners and tags of emoji sequences were checked by graphemes().
    if not all(ch.isprintable() or ch == ZWJ or _is_tag(ch) for ch in name):
        raise NicknameError("a nickname may only contain printable characters")
    if nickname_offensive(name):
        raise NicknameError("please choose another nickname")
    return name


def _is_tag(ch: str) -> bool:
    return 0xE0020 <= ord(ch) <= 0xE007F


def nickname_key(name: str) -> str:
    """The uniqueness key: two nicknames clash when their keys are equal."""
    return unicodedata.normalize("NFKC", name).casefold()


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_LEET)


def _words(text: str) -> list[str]:
    """Words of letters; spelled-out runs ("a.s.s", "t i t") become one word."""
    words: list[str] = []
    run = ""
    for w in re.split(r"[^a-z]+", text):
        if len(w) == 1:
            run += w
            continue
        if run:
            words.append(run)
            run = ""
        if w:
            words.append(w)
    if run:
        words.append(run)
    return words


def _squeeze(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def nickname_offensive(name: str) -> bool:
    folded = _fold(name)
    # "1" reads as i or as l: try both.
    for variant in {folded.replace("1", "i"), folded.replace("1", "l")}:
        variant = variant.replace("!", "i").replace("|", "l")
        words = _words(variant)
        if any(w in BLOCKED_WORDS for w in words):
            return True
        joined = "".join(words)
        for innocent in ALLOWED:
            joined = joined.replace(innocent, "")
        if any(w in joined for w in BLOCKED_ANYWHERE):
            return True
        # stretched letters ("fuuuck", "shiiit"); words whose squeezed form
        # gets too short ("kkk" -> "k") would match everything
        squeezed = _squeeze(joined)
        for w in BLOCKED_ANYWHERE:
            short = _squeeze(w)
            if len(short) >= 4 and short in squeezed:
                return True
    return False


def text_shown(text: str) -> bool:
    """Whether an answer's text may appear in a distribution on the big
    screen: the nickname word filter, applied to crowd texts (word clouds,
    typed answers). A refused text is still a valid answer, never shown."""
    return not nickname_offensive(text)
