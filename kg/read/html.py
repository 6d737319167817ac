"""HTML pages: the article body and metadata found by trafilatura, then read as plain text."""

from __future__ import annotations

import re

from kg.model.records import Article
from kg.read.charset import decode_page
from kg.read.dates import safe_date
from kg.read.errors import InputError
from kg.read.text import article_from_text, decode_bytes


def page_text(data: bytes, source: str) -> str:
    """The page as text: UTF-8 (or UTF-16 with a BOM) as before; otherwise the encoding the page
    declares or, undeclared, the likeliest one (kg/read/charset.py), then the same clean-up as
    any text (line ends, invisible characters, an empty page refused)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8192]:
        return decode_bytes(data, source)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        decoded = decode_page(data)
        if decoded is None:
            raise InputError(f"{source}: not valid UTF-8, and no declared or likely encoding reads it; "
                             "declare it with <meta charset=...> or convert it to UTF-8")
        data = decoded[0].encode("utf-8")
    return decode_bytes(data, source)


def html_article(data: bytes, source: str, **meta: object) -> Article:
    """The page's article; the user's --outlet/--url/--published win over the page's metadata."""
    import trafilatura  # imported lazily: only HTML input needs it

    html = page_text(data, source)
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
    published = meta.get("published") or safe_date(get("date"))
    return article_from_text(
        text,
        source=source,
        title=get("title") or None,
        outlet=meta.get("outlet") or get("sitename"),
        url=meta.get("url") or get("url"),
        published=published,
        first_line_is_title=False,
    )
