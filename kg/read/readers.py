"""Turn files, folders, JSONL and stdin into `Article` records, with page furniture removed.

Every failure is an `InputError` naming the input and the problem in one line: the CLI prints it
and moves on to the next item, so one bad file never stops a batch.
"""

from __future__ import annotations

import datetime as dt

import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.model.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_CHARS = 1_000_000  # spaCy's own limit for one text; news articles are far shorter
MAX_BYTES = 64 * 1024 * 1024  # a news article is never this big; refuse rather than exhaust memory


class InputError(Exception):
    """A user's input cannot be read as an article; the message names the input and the problem."""


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


def parse_date(value: str | None, *, what: str = "date") -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD, or a datetime starting with one); reject other forms."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string YYYY-MM-DD, got {type(value).__name__}")
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        raise InputError(f"{what} {value!r} is not a date of the form YYYY-MM-DD")
    try:
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise InputError(f"{what} {value!r} is not a valid date ({e})") from None
    if d > dt.date.today() + dt.timedelta(days=1):
        raise InputError(f"{what} {value!r} lies in the future")
    return d


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
            raise InputError(
                f"{source}: not valid UTF-8 ({e.reason} at byte {e.start}); convert it to UTF-8"
            ) from None
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    # zero-width and bidirectional marks break tokens without carrying meaning
    text = re.sub("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]", "", text)
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


def _html_article(data: bytes, source: str, **meta: object) -> Article:
    import trafilatura  # imported lazily: only HTML input needs it

    html = decode_bytes(data, source)
    if re.search(r"<!ENTITY", html[:65536], re.IGNORECASE):
        raise InputError(f"{source}: HTML declares entities (possible entity expansion attack)")
    try:
        doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    except Exception as e:  # trafilatura raises many kinds on malformed pages
        raise InputError(f"{source}: cannot parse HTML ({type(e).__name__})") from None
    if doc is None:
        raise InputError(f"{source}: HTML page has no article body")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = get("text") or ""
    if len(text.split()) < 8:
        raise InputError(f"{source}: HTML page has no article body")
    published = meta.get("published") or _safe_date(get("date"))
    return article_from_text(
        text,
        source=source,
        title=get("title") or None,
        outlet=meta.get("outlet") or get("sitename"),
        url=meta.get("url") or get("url"),
        published=published,
        first_line_is_title=False,
    )


def _safe_date(value: object) -> dt.date | None:
    try:
        return parse_date(value if isinstance(value, str) else None)
    except InputError:
        return None


def _jsonl_articles(data: bytes, source: str) -> Iterator[Article | InputError]:
    text = decode_bytes(data, source)
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            yield _jsonl_record(line, where)
        except InputError as e:
            yield e


MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSONL record; the file itself may be any size
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[Article | InputError]:
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
        line = _INVISIBLE.sub("", line.replace("\x00", ""))
        try:
            yield _jsonl_record(line, where)
        except InputError as e:
            yield e
    if empty:
        yield InputError(f"{source}: empty file")


def _jsonl_file(p: Path) -> Iterator[Article | InputError]:
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
                yield from _jsonl_articles(_read_file(p), str(p))
                return
            if b"\x00" in head:
                yield InputError(f"{p}: binary data (NUL bytes), not a text article")
                return
            f.seek(0)
            yield from _jsonl_lines(f, str(p))
        except OSError as e:
            yield InputError(f"{p}: cannot read ({e.strerror or e})")
        except InputError as e:
            yield e


def _jsonl_record(line: str, where: str) -> Article:
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


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: file too large ({size // (1024 * 1024)} MB > 64 MB)")
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def read_path(
    path: str,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
) -> Iterator[Article | InputError]:
    """Yield articles (or the error for each unreadable item) from a path, a folder or '-'.

    Errors are yielded rather than raised so that a batch loads its good items and counts the bad.
    """
    if path == "-":
        stdin = sys.stdin.buffer
        first = stdin.readline()
        while first and not first.strip():
            first = stdin.readline()
        if first.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"{":
            # JSONL on stdin streams like a file: `zcat big.jsonl.gz | kg ingest -`
            yield from _jsonl_lines(itertools.chain([first], stdin), "<stdin>")
            return
        data = first + stdin.read()
        try:
            text = decode_bytes(data, "<stdin>")
            yield article_from_text(text, source="<stdin>", outlet=outlet, url=url, published=published)
        except InputError as e:
            yield e
        return
    p = Path(path)
    if not p.exists():
        yield InputError(f"{path}: no such file or directory")
        return
    if p.is_dir():
        found = False
        for f in _walk(p):
            found = True
            yield from read_path(str(f))
        if not found:
            yield InputError(f"{path}: no article files (.txt, .html, .jsonl) in this folder")
        return
    suffix = p.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_file(p)
            return
        data = _read_file(p)
        if suffix in HTML_SUFFIXES:
            yield _html_article(data, str(p), outlet=outlet, url=url, published=published)
        else:
            text = decode_bytes(data, str(p))
            yield article_from_text(text, source=str(p), outlet=outlet, url=url, published=published)
    except InputError as e:
        yield e


def _walk(folder: Path) -> Iterator[Path]:
    """Article files below a folder, sorted, following no symlink loops and skipping gold files."""
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(files):
            f = Path(root, name)
            if f.suffix.lower() in ARTICLE_SUFFIXES and not name.startswith("."):
                yield f


def read_all(paths: list[str], **meta: object) -> Iterator[Article | InputError]:
    for p in paths:
        yield from read_path(p, **meta)  # type: ignore[arg-type]


__all__ = ["InputError", "read_path", "read_all", "article_from_text", "parse_date", "is_furniture"]
