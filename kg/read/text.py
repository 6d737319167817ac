"""Plain text: bytes -> text (strict decoding), page furniture removed, the headline found.

Every reader ends here (HTML after trafilatura, each JSONL record), so the size limit and the
furniture rules apply to every input alike.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.model.records import Article
from kg.read.errors import InputError

MAX_CHARS = 1_000_000  # spaCy's own limit for one text; news articles are far shorter
MAX_BYTES = 64 * 1024 * 1024  # a news article is never this big; refuse rather than exhaust memory
# zero-width and bidirectional marks break tokens without carrying meaning
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


@lru_cache(maxsize=1)
def _furniture_patterns() -> list[re.Pattern[str]]:
    text = resources.files("kg").joinpath("data/furniture.txt").read_text(encoding="utf-8")
    rules = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return [re.compile(r, re.IGNORECASE) for r in rules]


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture (navigation, sign-ups, share prompts, credits...)."""
    s = line.strip().strip("|•·-–— ")
    if not s:
        return False
    return any(p.fullmatch(s) for p in _furniture_patterns())


def split_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    body, furniture = [], []
    for ln in lines:
        (furniture if is_furniture(ln) else body).append(ln)
    return body, furniture


def read_file(path: Path) -> bytes:
    """A file's bytes, under the size cap; each way of failing is one InputError line.

    Why a bounded read, not stat(): a device (/dev/zero behind a .txt symlink), a FIFO or a
    /proc file has no meaningful size, so only reading at most MAX_BYTES + 1 bytes keeps the cap
    (and memory) for every kind of file."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: file too large (more than {MAX_BYTES // (1024 * 1024)} MB)")
    return data


def decode_bytes(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is an error.

    Latin-1 is not guessed: a silent mis-decoding would put wrong names into the graph.
    """
    if not data.strip():
        raise InputError(f"{source}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{source}: invalid UTF-16 ({e.reason} at byte {e.start})") from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError(f"{source}: binary data (NUL bytes), not a text article")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            from kg.read.charset import encoding_hint

            raise InputError(f"{source}: not valid UTF-8 ({e.reason} at byte {e.start}); {encoding_hint(data)}") from None
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE.sub("", text)
    if not text.strip():
        raise InputError(f"{source}: empty file")
    return text


def article_from_text(
    text: str,
    *,
    source: str,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    first_line_is_title: bool = True,
) -> Article:
    """Build an article from plain text; the first non-furniture line is the headline."""
    lines = text.split("\n")
    body, furniture = split_furniture(lines)
    if title is None and first_line_is_title:
        while body and not body[0].strip():
            body.pop(0)
        if body:
            title = body.pop(0).strip()
    body_text = "\n".join(body).strip()
    body_text = re.sub(r"\n{3,}", "\n\n", body_text)
    if not body_text and not title:
        raise InputError(f"{source}: no article text (only page furniture)")
    # headline and body together are what spaCy reads: a one-line file (all headline) counts too
    size = len(body_text) + len(title or "")
    if size > MAX_CHARS:
        raise InputError(
            f"{source}: article too long ({size:,} characters; at most {MAX_CHARS:,}): "
            "split it into articles"
        )
    return Article(
        text=body_text,
        title=title or None,
        outlet=outlet,
        url=url,
        published=published,
        source=source,
        furniture=[f.strip() for f in furniture if f.strip()],
    )
