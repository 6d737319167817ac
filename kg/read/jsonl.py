"""JSON Lines: one article per line, {"text": ..., "title", "url", "outlet", "published"}.

Streamed line by line (files and stdin alike): a 100,000-line file is never held in memory, and a
bad line is one error naming `file:line` while the other lines load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.model.records import Article
from kg.read.dates import parse_date
from kg.read.errors import InputError
from kg.read.text import INVISIBLE, article_from_text, decode_bytes, read_file

MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSONL record; the file itself may be any size


def jsonl_record(line: str, where: str) -> Article:
    """One line's article; `where` (file:line) names it in every error."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: malformed JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(rec, dict):
        raise InputError(f"{where}: a JSONL line must be an object with a 'text' field")
    body = rec.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError(f"{where}: missing or non-string 'text'")
    for k in ("title", "url", "outlet"):
        if rec.get(k) is not None and not isinstance(rec[k], str):
            raise InputError(f"{where}: '{k}' must be a string")
    published = parse_date(rec.get("published"), what=f"{where}: 'published'")
    return article_from_text(
        body,
        source=where,
        title=rec.get("title") or None,
        outlet=rec.get("outlet"),
        url=rec.get("url"),
        published=published,
        first_line_is_title=not rec.get("title"),
    )


def _records(text: str, source: str) -> Iterator[Article | InputError]:
    """Records of a file decoded whole (UTF-16, rare)."""
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            yield jsonl_record(line, where)
        except InputError as e:
            yield e


def jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[Article | InputError]:
    """Records from a binary line iterator, one at a time: a 100,000-line file is never held in
    memory (streaming ingest depends on it). UTF-8 only, as JSON Lines requires."""
    empty = True
    for n, raw in enumerate(lines, start=1):
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        empty = False
        where = f"{source}:{n}"
        if len(raw) > MAX_LINE_BYTES:
            yield InputError(f"{where}: line too long ({len(raw) // (1024 * 1024)} MB)")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield InputError(f"{where}: not valid UTF-8 ({e.reason} at byte {e.start}); convert it to UTF-8")
            continue
        line = INVISIBLE.sub("", line.replace("\x00", ""))
        try:
            yield jsonl_record(line, where)
        except InputError as e:
            yield e
    if empty:
        yield InputError(f"{source}: empty file")


def jsonl_file(p: Path) -> Iterator[Article | InputError]:
    """A .jsonl file streamed line by line (UTF-16 files, rare, are read whole under the size cap)."""
    try:
        f = p.open("rb")
    except PermissionError:
        yield InputError(f"{p}: permission denied")
        return
    except OSError as e:
        yield InputError(f"{p}: cannot read ({e.strerror or e})")
        return
    with f:
        try:
            head = f.read(8192)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                f.close()
                yield from _records(decode_bytes(read_file(p), str(p)), str(p))
                return
            if b"\x00" in head:
                yield InputError(f"{p}: binary data (NUL bytes), not a text article")
                return
            f.seek(0)
            yield from jsonl_lines(f, str(p))
        except OSError as e:
            yield InputError(f"{p}: cannot read ({e.strerror or e})")
        except InputError as e:
            yield e
