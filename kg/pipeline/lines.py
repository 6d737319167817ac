"""spaCy component `ckg_lines`: a line break ends a sentence; a word never ends one.

News text puts the headline, standfirst, photo caption and datelines on lines of their own, often
without final punctuation; left to the parser, they run into the first sentence and its events
pick up the caption's place and date. The parser respects boundaries set before it runs. Conversely the small parser sometimes opens a
sentence after a bare word ("Four | al-Shabab fighters and a soldier were killed"), which cuts a
count from its noun; within a line, a token that follows a word or a number directly continues the
sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        line_start = 0
        for i, tok in enumerate(doc[:-1]):
            if "\n" in tok.text or "\n" in tok.whitespace_:
                nxt = doc[i + 1]
                if not nxt.is_space:
                    nxt.is_sent_start = True
                    line_start = i + 1
            elif (tok.is_alpha or tok.like_num) and not doc[i + 1].is_space and doc[i + 1].is_sent_start is None \
                    and (doc[i + 1].is_alpha or doc[i + 1].like_num) and not doc[i + 1].text[:1].isupper():
                doc[i + 1].is_sent_start = False
            elif (tok.text in ("—", "–", "--") or tok.text == "-" and tok.whitespace_ and i > 0 and doc[i - 1].whitespace_) \
                    and i - line_start <= 8 and doc[line_start].text.isupper() and len(doc[line_start].text) > 1:
                # "GOMA, Congo (AP) — M23 rebels seized ...": the dateline is no part of the sentence
                doc[i + 1].is_sent_start = True
        return doc


@Language.factory("ckg_lines")
def make_lines(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
