"""Which character encoding a saved page is in, when it is not UTF-8.

Pages saved from a browser or a CMS keep the encoding they were served in, and many older news
sites serve windows-1252, shift_jis, koi8-r, gb2312 ...: refusing them as "not valid UTF-8" refused
real articles. A page says its encoding (a BOM, `<meta charset>`, `<meta http-equiv=Content-Type
content="...; charset=...">`, an XML declaration) and that is honoured, as a browser does. An
undeclared page is guessed by charset_normalizer (installed with requests and trafilatura); among
the single-byte Latin encodings, which a statistical guess cannot tell apart on one article
(`café` reads as cp1250 as well as cp1252), windows-1252 wins, as browsers default to it.

Plain text has nowhere to declare an encoding, so it stays strict (a silent mis-decoding would put
wrong names into the graph); `encoding_hint` names the conversion for its error message.
"""

from __future__ import annotations

import codecs
import re

# the WHATWG prescan looks at the first 1024 bytes; pages with long <head> scripts put the
# <meta> later, so a little more is read
_HEAD_BYTES = 8192
_META = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
# labels browsers read as windows-1252 (WHATWG Encoding): the C1 bytes are cp1252's letters
_AS_CP1252 = {"latin_1", "ascii", "iso8859_1"}
_LATIN_GUESSES = re.compile(r"^(cp125[0-8]|latin_1|iso8859_(1|2|3|4|9|10|13|14|15|16)|mac_.*)$")


def codec_name(label: str) -> str | None:
    """Python's codec for an encoding label ("windows-1252" -> "cp1252"), or None if unknown."""
    try:
        name = codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first bytes: BOM, XML declaration, <meta>."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf_8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf_16"
    head = data[:_HEAD_BYTES]
    m = _XML_DECL.match(head) or _META.search(head)
    name = codec_name(m.group(1).decode("ascii")) if m else None
    # a page that reached this far is ASCII-compatible: a UTF-16 label is wrong (WHATWG: UTF-8)
    return "utf_8" if name and name.startswith("utf_16") else name


def guessed_charset(data: bytes) -> str | None:
    """The detector's guess for undeclared bytes (windows-1252 for any single-byte Latin guess)."""
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - installed with requests and trafilatura
        best = None
    else:
        best = charset_normalizer.from_bytes(data[:65536]).best()
    name = codec_name(best.encoding) if best is not None else None
    if name is None or _LATIN_GUESSES.match(name):
        name = "cp1252"
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def decode_page(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a page that is not UTF-8: its declared encoding, else the guess;
    None when neither decodes it."""
    declared = declared_charset(data)
    if declared and not declared.startswith("utf_8"):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # mis-declared (a cp1252 page labelled latin-1 with an odd byte): guess instead
    guessed = guessed_charset(data)
    return (data.decode(guessed), guessed) if guessed else None


def encoding_hint(data: bytes) -> str:
    """`convert it with iconv -f WINDOWS-1252 -t UTF-8, or save it as .html with a charset` for a
    text file that is not UTF-8, naming the likeliest encoding."""
    name = guessed_charset(data)
    source = {"cp1252": "WINDOWS-1252"}.get(name or "", (name or "ENCODING").upper().replace("_", "-"))
    return f"convert it with iconv -f {source} -t UTF-8, or save it as .html with a charset"
