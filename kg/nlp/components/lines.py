"""spaCy component `ckg_lines`: a line break ends a sentence; a word never ends one.

News text puts the headline, standfirst, photo caption and datelines on lines of their own, often
without final punctuation; left to the parser, they run into the first sentence and its events
pick up the caption's place and date. The parser respects boundaries set before it runs. Conversely the small parser sometimes opens a
sentence after a bare word ("Four | al-Shabab fighters and a soldier were killed"), which cuts a
count from its noun; within a line, a token that follows a word or a number directly continues the
sentence.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_ALPHA, IS_SPACE, LIKE_NUM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.state import state

DASHES = ("—", "–", "--")
UNSET, START, INSIDE = 0, 1, -1  # spaCy's sent_start values: unknown, opens a sentence, continues one


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        """Sets sentence starts through one array: this runs on every token of every article, and a
        spaCy Token object per look-up (several per token) cost more than the rules themselves."""
        n = len(doc)
        if n < 2:
            return doc
        table = state(doc).tokens(doc)  # read once here; tokenisation never changes afterwards
        texts = table.text
        flags = doc.to_array([IS_ALPHA, LIKE_NUM, IS_SPACE])
        wordlike = (flags[:, 0] | flags[:, 1]).tolist()  # is_alpha or like_num
        space = flags[:, 2].tolist()
        trailing = table.space_after
        before = doc.to_array(SENT_START).astype(numpy.int64).tolist()
        starts = list(before)
        line_start = 0
        for i in range(n - 1):
            text = texts[i]
            if "\n" in text:  # a token's trailing whitespace is one space at most: never a line break
                if not space[i + 1]:
                    starts[i + 1] = START
                    line_start = i + 1
            elif wordlike[i] and not space[i + 1] and starts[i + 1] == UNSET and wordlike[i + 1] \
                    and not texts[i + 1][:1].isupper():
                starts[i + 1] = INSIDE
            elif (text in DASHES or text == "-" and trailing[i] and i > 0 and trailing[i - 1]) \
                    and i - line_start <= 8 and texts[line_start].isupper() and len(texts[line_start]) > 1:
                # "GOMA, Congo (AP) — M23 rebels seized ...": the dateline is no part of the sentence
                starts[i + 1] = START
        if starts != before:
            doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64))
        return doc


@Language.factory("ckg_lines")
def make_lines(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
