"""Turn files, folders, JSONL and stdin into `Article` records, with page furniture removed.

Every failure is an `InputError` naming the input and the problem in one line: the CLI prints it
and moves on to the next item, so one bad file never stops a batch. This module picks the reader
by input kind (kg/read/text.py, html.py, jsonl.py) and walks folders; the names other modules
import from it stay here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.model.records import Article
from kg.read.dates import parse_date
from kg.read.errors import InputError
from kg.read.html import html_article
from kg.read.jsonl import jsonl_file, jsonl_lines
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

    Errors are yielded rather than raised so that a batch loads its good items and counts the bad.
    """
    if path == "-":
        yield from _read_stdin(outlet=outlet, url=url, published=published)
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
            yield from jsonl_file(p)
            return
        data = read_file(p)
        if suffix in HTML_SUFFIXES:
            yield html_article(data, str(p), outlet=outlet, url=url, published=published)
        else:
            text = decode_bytes(data, str(p))
            yield article_from_text(text, source=str(p), outlet=outlet, url=url, published=published)
    except InputError as e:
        yield e


def _read_stdin(**meta: object) -> Iterator[Article | InputError]:
    """Standard input: JSONL when the first non-blank line starts an object, else one article."""
    stdin = sys.stdin.buffer
    first = stdin.readline()
    while first and not first.strip():
        first = stdin.readline()
    if first.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"{":
        # JSONL on stdin streams like a file: `zcat big.jsonl.gz | kg ingest -`
        yield from jsonl_lines(itertools.chain([first], stdin), "<stdin>")
        return
    data = first + stdin.read()
    try:
        text = decode_bytes(data, "<stdin>")
        yield article_from_text(text, source="<stdin>", **meta)  # type: ignore[arg-type]
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


__all__ = ["InputError", "read_path", "read_all", "article_from_text", "parse_date", "is_furniture",
           "decode_bytes", "split_furniture", "MAX_CHARS", "MAX_BYTES", "_jsonl_record"]
