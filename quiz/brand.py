"""A quiz's brand: its accent colour and logo (docs/quizzes.md, "Branding").

The rules in one place, for the API, the quiz document and the admin:

- an accent is ``#RRGGBB`` (stored lower-case);
- a logo URL is ``https`` only (a screen on https would refuse an http
  image as mixed content, and ``javascript:``/``data:`` could carry script);
- an uploaded logo is PNG, JPEG, WebP or GIF, recognized by its first bytes
  (never by its name or the Content-Type the browser claims; SVG is refused:
  it may carry script), at most :data:`LOGO_MAX_BYTES`, and at most
  :data:`LOGO_MAX_SIDE` pixels a side, read from the image's own header.

No Pillow: the header of each of the four formats gives the size in a few
bytes, read here without decoding the image. Nothing in this module touches
Django's database, so the document validation can use it as well.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

LOGO_MAX_BYTES = 256 * 1024
LOGO_MAX_SIDE = 2048
LOGO_URL_MAX = 500

_ACCENT_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class BrandError(ValueError):
    """A refused brand value: ``code`` is the API's stable error code."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def accent_clean(value: str) -> str:
    """``#RRGGBB`` in lower case; raises ``bad_accent``."""
    if not isinstance(value, str) or not _ACCENT_RE.fullmatch(value):
        raise BrandError("bad_accent", "the accent must be a colour written #RRGGBB, e.g. #1e88e5")
    return value.lower()


def logo_url_clean(value: str) -> str:
    """An absolute https URL with a host, at most 500 characters, no spaces
    or control characters; raises ``bad_logo_url``."""
    bad = BrandError("bad_logo_url", "the logo URL must be an https:// address of an image")
    if not isinstance(value, str) or not value or len(value) > LOGO_URL_MAX:
        raise bad
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise bad
    try:
        parts = urlsplit(value)
    except ValueError:
        raise bad from None
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise bad
    return value


@dataclass(frozen=True, slots=True)
class Image:
    content_type: str
    ext: str
    width: int
    height: int


# (signature test, content type, extension)
_PNG = b"\x89PNG\r\n\x1a\n"


def _png(data: bytes) -> tuple[int, int] | None:
    # the first chunk is IHDR: length(4) "IHDR" width(4) height(4)
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    w, h = struct.unpack(">II", data[16:24])
    return int(w), int(h)


def _gif(data: bytes) -> tuple[int, int] | None:
    if len(data) < 10:
        return None
    w, h = struct.unpack("<HH", data[6:10])
    return int(w), int(h)


def _jpeg(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame marker (SOF0-SOF15 but DHT,
    JPG and DAC), walking the segments from the start."""
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if i + 9 > n:
                return None
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    if len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":  # lossy: the frame header after the start code
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        w, h = struct.unpack("<HH", data[26:30])
        return int(w & 0x3FFF), int(h & 0x3FFF)
    if chunk == b"VP8L":  # lossless: 14 bits each, minus one
        if data[20] != 0x2F:
            return None
        b = data[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0x0F) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return w, h
    if chunk == b"VP8X":  # extended: 24 bits each, minus one
        w = 1 + int.from_bytes(data[24:27], "little")
        h = 1 + int.from_bytes(data[27:30], "little")
        return w, h
    return None


def image_check(data: bytes) -> Image:
    """What an uploaded logo is, from its bytes alone. Raises
    ``logo_too_large`` (413), ``logo_type`` (415) or ``logo_dimensions``
    (400, also for a header too broken to read a size from)."""
    if len(data) > LOGO_MAX_BYTES:
        raise BrandError(
            "logo_too_large",
            f"a logo is at most {LOGO_MAX_BYTES // 1024} KiB (this one is {len(data) // 1024} KiB)",
            413,
        )
    if data.startswith(_PNG):
        kind, size = ("image/png", "png"), _png(data)
    elif data[:3] == b"\xff\xd8\xff":
        kind, size = ("image/jpeg", "jpg"), _jpeg(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        kind, size = ("image/gif", "gif"), _gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind, size = ("image/webp", "webp"), _webp(data)
    else:
        raise BrandError(
            "logo_type", "a logo must be a PNG, JPEG, WebP or GIF image (SVG is not accepted)", 415
        )
    if size is None or size[0] < 1 or size[1] < 1:
        raise BrandError("logo_dimensions", "the image's size cannot be read: is the file whole?")
    w, h = size
    if w > LOGO_MAX_SIDE or h > LOGO_MAX_SIDE:
        raise BrandError(
            "logo_dimensions",
            f"a logo is at most {LOGO_MAX_SIDE}×{LOGO_MAX_SIDE} pixels (this one is {w}×{h})",
        )
    return Image(content_type=kind[0], ext=kind[1], width=w, height=h)
