"""Turn files, folders, JSONL and stdin into `Article` records, with page furniture removed.

Every failure is an `InputError` naming the input and the problem in one line: the CLI prints it
and moves on to the next item, so one bad file never stops a batch. This module picks the reader
by input kind (kg/read/text.py, html.py, jsonl.py) and walks folders; the names other modules
import from it stay here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.model.records import Article
from kg.read.dates import parse_date
from kg.read.errors import InputError, unexpected
from kg.read.html import html_article
from kg.read.jsonl import MAX_LINE_BYTES, jsonl_file, jsonl_lines
from kg.read.jsonl import jsonl_record as _jsonl_record
from kg.read.text import MAX_BYTES, MAX_CHARS, article_from_text, decode_bytes, is_furniture, read_file, split_furniture

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def read_path(
    path: str,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
) -> Iterator[Article | InputError]:
    """Yield articles (or the error for each unreadable item) from a path, a folder or '-'.

    Errors are yielded rather than raised so that a batch loads its good items and counts the bad;
    an error no reader foresaw costs its file (a JSONL file: its line), never the run. In a
    folder, `outlet` and `published` are defaults for every article that has none of its own.
    """
    if path == "-":
        yield from _guarded(_read_stdin(outlet=outlet, url=url, published=published), "<stdin>")
        return
    p = Path(path)
    if not p.exists():
        yield InputError(f"{path}: no such file or directory")
        return
    if p.is_dir():
        found = False
        for f in _walk(p):
            found = True
            if isinstance(f, InputError):
                yield f
            else:
                yield from _guarded(_read_file(f, outlet=outlet, published=published, in_folder=True), str(f))
        if not found:
            yield InputError(f"{path}: no article files (.txt, .html, .jsonl) in this folder")
        return
    yield from _guarded(_read_file(p, outlet=outlet, url=url, published=published, in_folder=False), str(p))


def _read_file(p: Path, *, outlet: str | None = None, url: str | None = None, published: dt.date | None = None,
               in_folder: bool) -> Iterator[Article | InputError]:
    """One file's articles. The user's metadata fills what a JSONL line or (in a folder) an HTML
    page lacks; a single HTML file given by name takes the user's over the page's, as documented."""
    suffix = p.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _defaults(jsonl_file(p), outlet, published)
            return
        data = read_file(p)
        if suffix in HTML_SUFFIXES:
            if in_folder:
                yield from _defaults([html_article(data, str(p))], outlet, published)
            else:
                yield html_article(data, str(p), outlet=outlet, url=url, published=published)
        else:
            text = decode_bytes(data, str(p))
            yield article_from_text(text, source=str(p), outlet=outlet, url=url, published=published)
    except InputError as e:
        yield e
    except ImportError as e:  # an optional reader's package missing: this file fails, not the run
        yield _missing_package(p, e)


def _missing_package(p: Path, e: ImportError) -> InputError:
    """One line naming the package to install. lxml >= 5.2 moved lxml.html.clean (which the HTML
    reader's trafilatura/justext import) into lxml_html_clean: an old pip installed without it."""
    name = e.name or ("lxml_html_clean" if "lxml_html_clean" in str(e) else None)
    if name and name.startswith("lxml.html.clean"):
        name = "lxml_html_clean"
    if not name:
        return InputError(f"{p}: cannot read: a package is missing ({str(e).splitlines()[0]})")
    return InputError(f"{p}: cannot read: the Python package {name} is not installed (pip install {name})")


def _defaults(items: Iterable[Article | InputError], outlet: str | None,
              published: dt.date | None) -> Iterator[Article | InputError]:
    """Articles with the user's outlet and publication date where they have none of their own."""
    for item in items:
        if isinstance(item, Article) and ((outlet and not item.outlet) or (published and not item.published)):
            item = dataclasses.replace(item, outlet=item.outlet or outlet, published=item.published or published)
        yield item


def _guarded(items: Iterator[Article | InputError], where: str) -> Iterator[Article | InputError]:
    """The items of one input; an exception no reader foresaw becomes that input's error line."""
    try:
        yield from items
    except InputError as e:
        yield e
    except Exception as e:  # noqa: BLE001 - one poison input must not stop the others
        yield unexpected(where, e)


def _read_stdin(**meta: Any) -> Iterator[Article | InputError]:
    """Standard input: JSONL when the first non-blank line starts an object, else one article.

    Bounded like a file: a line is read to at most MAX_LINE_BYTES + 1 bytes and plain text to
    MAX_BYTES + 1 (`kg ingest - < /dev/zero` ends with one line instead of exhausting memory)."""
    stdin = sys.stdin.buffer
    first = stdin.readline(MAX_LINE_BYTES + 1)
    blank = 0
    while first and not first.strip():
        blank += len(first)
        if blank > MAX_BYTES:
            yield InputError(f"<stdin>: more than {MAX_BYTES // (1024 * 1024)} MB of blank input")
            return
        first = stdin.readline(MAX_LINE_BYTES + 1)
    if first.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"{":
        # JSONL on stdin streams like a file: `zcat big.jsonl.gz | kg ingest -`
        yield from _defaults(jsonl_lines(stdin, "<stdin>", first=first), meta.get("outlet"), meta.get("published"))
        return
    data = first + stdin.read(MAX_BYTES + 1 - len(first))
    if len(data) > MAX_BYTES:
        yield InputError(f"<stdin>: input too large (more than {MAX_BYTES // (1024 * 1024)} MB)")
        return
    try:
        text = decode_bytes(data, "<stdin>")
        yield article_from_text(text, source="<stdin>", **meta)
    except InputError as e:
        yield e


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Article files below a folder, sorted, skipping hidden files (gold files are not articles).

    Symlinks: a symlinked folder is never entered (a link to / walked the whole filesystem, and
    links can loop); a symlinked file is read only when it resolves to a file inside the folder
    given, else it is one error line. Anything but a regular file (a FIFO would hang the run, a
    device never ends) is one error line too."""
    top = os.path.realpath(folder)
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            f = Path(root, name)
            if f.suffix.lower() in ARTICLE_SUFFIXES and not name.startswith("."):
                problem = _unsafe(f, top)
                yield InputError(problem) if problem else f


def _unsafe(f: Path, top: str) -> str | None:
    """Why a file found in a folder walk is not read, or None."""
    if f.is_symlink():
        target = os.path.realpath(f)
        if os.path.commonpath([target, top]) != top:
            return f"{f}: cannot read (a symlink to a file outside the folder; not followed)"
    try:
        mode = os.stat(f).st_mode
    except OSError as e:
        return f"{f}: cannot read ({e.strerror or e})"
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
        return f"{f}: cannot read ({kind}, not an article file; skipped)"
    return None


def read_all(paths: list[str], **meta: object) -> Iterator[Article | InputError]:
    for p in paths:
        yield from read_path(p, **meta)  # type: ignore[arg-type]


__all__ = ["InputError", "read_path", "read_all", "article_from_text", "parse_date", "is_furniture",
           "decode_bytes", "split_furniture", "MAX_CHARS", "MAX_BYTES", "_jsonl_record"]
