"""JSON Lines: one article per line, {"text": ..., "title", "url", "outlet", "published"}.

Streamed line by line (files and stdin alike): a 100,000-line file is never held in memory, and a
bad line is one error naming `file:line` while the other lines load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.model.records import Article
from kg.read.dates import parse_date
from kg.read.errors import InputError, unexpected
from kg.read.text import INVISIBLE, MAX_BYTES, article_from_text, decode_bytes

MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSONL record; the file itself may be any size
# how far past MAX_LINE_BYTES an over-long line is skipped before the rest of the file is given up:
# a stream with no newline at all (/dev/zero behind a .jsonl name) must end in bounded time
MAX_SKIP_BYTES = 64 * 1024 * 1024


def jsonl_record(line: str, where: str) -> Article:
    """One line's article; `where` (file:line) names it in every error."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: malformed JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except ValueError as e:  # an integer past Python's 4,300-digit limit
        raise InputError(f"{where}: unreadable JSON value ({str(e).split(';')[0]})") from None
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
        yield _record(line, f"{source}:{n}")


def _record(line: str, where: str) -> Article | InputError:
    """One line's article or its error; an error nobody foresaw costs this line only."""
    try:
        return jsonl_record(line, where)
    except InputError as e:
        return e
    except Exception as e:  # noqa: BLE001 - a poison line must not stop the lines after it
        return unexpected(where, e)


def bounded_lines(stream: BinaryIO, first: bytes | None = None) -> Iterator[bytes]:
    """Lines of a binary stream, none held longer than MAX_LINE_BYTES + 1 bytes (an over-long
    line is cut there, and its rest skipped). Why not `for line in f`: that reads a whole line
    into memory whatever its length (a 10 GB line, or /dev/zero, exhausted memory). A line still
    unended MAX_SKIP_BYTES later ends the stream: nothing after it could be trusted to be a line."""
    while True:
        raw = first if first is not None else stream.readline(MAX_LINE_BYTES + 1)
        first = None
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            yield raw[: MAX_LINE_BYTES + 1]
            skipped = 0
            while skipped < MAX_SKIP_BYTES:
                rest = stream.readline(1024 * 1024)
                skipped += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            else:
                raise InputError(f"line longer than {(MAX_LINE_BYTES + MAX_SKIP_BYTES) // (1024 * 1024)} MB; "
                                 "the rest of the input is skipped")
            continue
        yield raw


def jsonl_lines(stream: BinaryIO, source: str, first: bytes | None = None) -> Iterator[Article | InputError]:
    """Records from a binary stream, one at a time: a 100,000-line file is never held in memory
    (streaming ingest depends on it), nor one line past its cap. UTF-8 only, as JSON Lines
    requires. `first`: a line already read from the stream (stdin's sniffed first line)."""
    empty = True
    lines = bounded_lines(stream, first)
    n = 0
    while True:
        try:
            raw = next(lines, None)
        except InputError as e:
            yield InputError(f"{source}:{n}: {e}")  # the over-long line n has no end
            return
        if raw is None:
            break
        n += 1
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        empty = False
        where = f"{source}:{n}"
        if len(raw) > MAX_LINE_BYTES:
            yield InputError(f"{where}: line too long (more than {MAX_LINE_BYTES // (1024 * 1024)} MB)")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield InputError(f"{where}: not valid UTF-8 ({e.reason} at byte {e.start}); convert it to UTF-8")
            continue
        line = INVISIBLE.sub("", line.replace("\x00", ""))
        yield _record(line, where)
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
            head = f.peek(8192)[:8192]  # not consumed, and no seek: a pipe (<(zcat ...)) cannot seek
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                data = f.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise InputError(f"{p}: UTF-16 file too large (more than {MAX_BYTES // (1024 * 1024)} MB)")
                yield from _records(decode_bytes(data, str(p)), str(p))
                return
            if b"\x00" in head:
                yield InputError(f"{p}: binary data (NUL bytes), not a text article")
                return
            yield from jsonl_lines(f, str(p))
        except OSError as e:
            yield InputError(f"{p}: cannot read ({e.strerror or e})")
        except InputError as e:
            yield e
