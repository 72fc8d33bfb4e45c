"""User-perceived characters (graphemes) of a nickname, from the standard
library's Unicode data only.

A person counts "👩‍🚀" as one character, Python as three code points and a
browser's ``maxlength`` as five UTF-16 units. Nicknames are limited in
graphemes, the unit people see. This is the part of Unicode's extended
grapheme cluster rules (UAX #29) that nicknames meet: combining marks,
variation selectors, emoji modifiers (skin tones), keycaps, ZWJ sequences
of emoji, flag pairs of regional indicators and tag sequences (🏴 + tags:
the flags of England, Scotland, Wales). Hangul jamo sequences and Indic
conjuncts count per code point here; precomposed syllables (what keyboards
type) count as one.
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"
TAG_FIRST, TAG_CANCEL = 0xE0020, 0xE007F
BLACK_FLAG = 0x1F3F4
RI_FIRST, RI_LAST = 0x1F1E6, 0x1F1FF  # regional indicators: two make a flag
SKIN_FIRST, SKIN_LAST = 0x1F3FB, 0x1F3FF


class GraphemeError(ValueError):
    """A format character where no emoji sequence allows it."""


def _extends(ch: str) -> bool:
    """Marks that belong to the character before them: combining marks
    (accents, the keycap's U+20E3), variation selectors, skin tones."""
    cp = ord(ch)
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") or SKIN_FIRST <= cp <= SKIN_LAST


def _emoji(ch: str) -> bool:
    # Emoji are "other symbols" (So): ❤, ♀, 🚀, 🦰 (hair), 🌈 ...
    return unicodedata.category(ch) == "So"


def graphemes(text: str) -> list[str]:
    """``text`` split into graphemes. Raises :class:`GraphemeError` for a
    ZWJ that does not join two emoji, or tag characters outside a 🏴 tag
    sequence ending with the cancel tag: invisible characters that could
    hide in a name are refused, the sequences that draw an emoji are not."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        base = text[i]
        i += 1
        if RI_FIRST <= ord(base) <= RI_LAST and i < n and RI_FIRST <= ord(text[i]) <= RI_LAST:
            i += 1  # a flag: two regional indicators
        elif ord(base) == BLACK_FLAG and i < n and TAG_FIRST <= ord(text[i]) < TAG_CANCEL:
            while i < n and TAG_FIRST <= ord(text[i]) < TAG_CANCEL:
                i += 1
            if i >= n or ord(text[i]) != TAG_CANCEL:
                raise GraphemeError("a flag's tag sequence must end with the cancel tag")
            i += 1
        while True:
            while i < n and _extends(text[i]):
                i += 1
            # ZWJ joins this emoji to the next one: 👩 + ZWJ + 🚀 = 👩‍🚀
            if i < n and text[i] == ZWJ:
                if not _emoji(base) or i + 1 >= n or not _emoji(text[i + 1]):
                    raise GraphemeError("a zero-width joiner only joins two emoji")
                base = text[i + 1]
                i += 2
                continue
            break
        # Inside a cluster a format character (Cf) can only be a ZWJ or a
        # tag, both checked above; one that starts a cluster stands alone
        # (a zero-width space, a stray joiner or tag): refused.
        if unicodedata.category(text[start]) == "Cf":
            raise GraphemeError("invisible format characters are not allowed")
        out.append(text[start:i])
    return out


def grapheme_count(text: str) -> int:
    return len(graphemes(text))
