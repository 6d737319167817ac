"""Long texts through spaCy in chunks, joined back into one Doc for conflict-kg's own components.

Why: spaCy's statistical components (tok2vec, parser, NER) cost more per token the longer the
Doc, and keep per-Doc buffers proportional to it: a 990,000-character sentence took 106 s and
2.7 GB (issue 15). No news article comes close (the longest of the 100 dev articles is 1,351
tokens), so a text of at most CHUNK_TOKENS tokens takes the ordinary path untouched and its
records are those it always had. A longer one is cut at the best break before each CHUNK_TOKENS
(a paragraph, else a sentence's end, else whitespace, else between two tokens), each chunk goes
through the statistical components alone, and the chunks are joined (`Doc.from_docs`) into one
Doc whose tokens, text and character offsets are the original's; the rule components then run
once over the whole of it, so a place named in the first chunk still gives the theatre to the
last. Beyond `max_tokens()` (env KG_MAX_TOKENS, default MAX_TOKENS) the article is refused alone
(`ArticleTooLong`, one line in the ingest summary).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.state import DocState

CHUNK_TOKENS = 5_000  # tokens at most in one spaCy pass; the dev corpus's longest article has 1,351
MAX_TOKENS = 500_000  # default cap: any text within the readers' 1,000,000 characters of words
PARAGRAPH, SENTENCE, SPACE, TOKEN = 3, 2, 1, 0  # how good a break after a token is
SENTENCE_END = frozenset({".", "!", "?", "…", "\u061f", "\u3002"})


class ArticleTooLong(ValueError):
    """More tokens than KG_MAX_TOKENS: the article fails alone, in one line."""


def max_tokens() -> int:
    """The cap, from KG_MAX_TOKENS when it is set to a positive integer (else the default)."""
    raw = os.environ.get("KG_MAX_TOKENS", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else MAX_TOKENS


def check_size(doc: Doc) -> None:
    cap = max_tokens()
    if len(doc) > cap:
        raise ArticleTooLong(f"article too long ({len(doc):,} tokens; at most {cap:,}, env KG_MAX_TOKENS)")


def pipe_bounded(nlp: Language, docs: Iterable[Doc], *, batch_size: int) -> Iterator[Doc]:
    """`nlp.pipe` over the docs, in order, except that a doc over CHUNK_TOKENS goes through
    `process_long` alone (the ordinary ones before it are finished first, so that a refused one
    costs nothing that came earlier)."""
    short: list[Doc] = []
    bound = min(CHUNK_TOKENS, max_tokens())
    for doc in docs:
        if len(doc) <= bound:
            short.append(doc)
            continue
        yield from nlp.pipe(short, batch_size=max(1, batch_size))
        short = []
        check_size(doc)
        yield process_long(nlp, doc) if len(doc) > CHUNK_TOKENS else next(iter(nlp.pipe([doc])))
    yield from nlp.pipe(short, batch_size=max(1, batch_size))


def process_long(nlp: Language, doc: Doc) -> Doc:
    """The doc through the whole pipeline, the statistical part chunk by chunk (module docstring).
    `doc._.kg` (the article's date and body start) is carried over to the joined Doc."""
    st: DocState = doc._.kg or DocState()
    split = _first_rule_component(nlp)
    statistical = nlp.pipe_names[:split]
    chunks = []
    for start, end in spans(doc, CHUNK_TOKENS):
        chunk = doc[start:end].as_doc()
        chunk._.kg = DocState(text=chunk.text)  # ckg_lines (before the parser) reads the token table
        chunks.append(chunk)
    done = list(nlp.pipe(chunks, batch_size=1, disable=[n for n in nlp.pipe_names if n not in statistical]))
    joined = Doc.from_docs(done, ensure_whitespace=False, exclude=["user_data"])
    if joined.text != doc.text:  # cannot happen with token-aligned cuts; never a silently shifted graph
        raise RuntimeError("chunked text does not rejoin to the original")
    joined._.kg = DocState(published=st.published, body_start=st.body_start, text=st.text)
    for name, proc in nlp.pipeline[split:]:
        joined = proc(joined)
    return joined


def _first_rule_component(nlp: Language) -> int:
    """Index of the first component that reads the whole article (the first ckg_* one after the
    statistical components; ckg_lines, which only sets sentence starts from line breaks, runs
    before the parser and so per chunk)."""
    from kg.nlp.pipeline import COMPONENTS

    for i, name in enumerate(nlp.pipe_names):
        if name in COMPONENTS:
            return i
    return len(nlp.pipe_names)


def spans(doc: Doc, size: int) -> list[tuple[int, int]]:
    """(start, end) token ranges of at most `size` tokens covering the doc, each cut after the
    best break in the second half of its window (ties: the last one), so chunks are never tiny."""
    quality = [_break_after(tok) for tok in doc]
    out: list[tuple[int, int]] = []
    start, n = 0, len(doc)
    while n - start > size:
        lo, hi = start + size // 2, start + size  # cut after token i for i in [lo, hi)
        best = max(range(lo, hi), key=lambda i: (quality[i], i))
        out.append((start, best + 1))
        start = best + 1
    out.append((start, n))
    return out


def _break_after(tok) -> int:
    """How good a place the gap after this token is to cut: a blank line or a line break, a
    sentence's final punctuation followed by whitespace, any whitespace, or none."""
    text, ws = tok.text, tok.whitespace_
    if tok.is_space and "\n" in text:
        return PARAGRAPH
    if text in SENTENCE_END and (ws or tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].is_space):
        return SENTENCE
    return SPACE if ws or tok.is_space else TOKEN
