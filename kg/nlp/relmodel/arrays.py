"""The parse of a doc as plain lists, for the relation layer's features.

Features read heads, labels and lemmas of many tokens per candidate pair; a spaCy Token object per
look-up costs more than the whole feature, so the doc is read once into lists (`DocArrays`).
"""

from __future__ import annotations

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.tokens import Doc


class DocArrays:
    """The parse as plain lists, read once per doc (a Token object per look-up costs more)."""

    def __init__(self, doc: Doc):
        strings = doc.vocab.strings
        arr = doc.to_array([HEAD, DEP, LEMMA, LOWER, POS]).tolist()
        n = len(arr)
        # HEAD is a relative offset stored unsigned: undo the 64-bit wrap of negative offsets
        self.head = [i + (r[0] if r[0] < (1 << 63) else r[0] - (1 << 64)) for i, r in enumerate(arr)]
        self.dep = [strings[r[1]] for r in arr]
        self.lemma = [strings[r[2]].lower() for r in arr]
        self.lower = [strings[r[3]] for r in arr]
        self.pos = [strings[r[4]] for r in arr]
        self.n = n
        self._children: list[list[int]] | None = None

    @property
    def children(self) -> list[list[int]]:
        if self._children is None:
            ch: list[list[int]] = [[] for _ in range(self.n)]
            for i, h in enumerate(self.head):
                if h != i and 0 <= h < self.n:
                    ch[h].append(i)
            self._children = ch
        return self._children

    def span_head(self, start: int, end: int) -> int:
        """The token of [start, end) whose head lies outside it (the last such, else the last token)."""
        best = end - 1
        for i in range(start, end):
            h = self.head[i]
            if h == i or h < start or h >= end:
                best = i
        return best

    def ancestors(self, i: int, limit: int = 40) -> list[int]:
        """i and its heads up to the root; the limit guards against a cyclic (broken) parse."""
        out = [i]
        while len(out) < limit:
            h = self.head[i]
            if h == i or h < 0 or h >= self.n:
                break
            out.append(h)
            i = h
        return out


def path_between(arr: DocArrays, a: int, b: int) -> tuple[list[int], list[int], int] | None:
    """Tokens from a up to the lowest common ancestor and from b up to it (both excluding it), and
    that ancestor; None when the two heads share no ancestor within the limit."""
    up_a = arr.ancestors(a)
    pos_a = {t: k for k, t in enumerate(up_a)}
    up_b = arr.ancestors(b)
    for k, t in enumerate(up_b):
        if t in pos_a:
            return up_a[: pos_a[t]], up_b[:k], t
    return None
