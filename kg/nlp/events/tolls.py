"""Death tolls: how many a sentence says were killed, read on the words around each number.

News states tolls in a few shapes -- '10 people were killed', 'killing at least 10', 'five soldiers
and three civilians died', 'the deaths of two aid workers', 'a soldier was killed', 'no one was
killed' -- and mixes them with counts that are not deaths (wounded, kilometres, raids), so each
number is read against the words that follow it before the next figure or injury word.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.nlp.events.cumulative import combined, is_tally
from kg.nlp.events.words import EventLexicon, word_seq, word_set, word_value
from kg.nlp.state import state

NUMBER_WORDS: dict[str, int] = word_value("tolls", "number_words")
NOT_COUNT_NEXT = word_set("tolls", "not_count_next")
INJURY = word_set("tolls", "injury")
NO_ONE = word_set("tolls", "no_one")
TOLL_WORDS = frozenset({"nobody", "a", "an", *NO_ONE, *NUMBER_WORDS})  # where a reading can start
DEATH_NOUNS = word_set("tolls", "death_nouns")
SUBSET_WORDS = word_set("tolls", "subset_words")
SUM_JOINERS = word_set("tolls", "sum_joiners")
KILLING_CUES = word_set("tolls", "killing_cues")
CLAUSE_BREAKS = word_set("tolls", "clause_breaks")
DYING_LEMMAS = word_set("tolls", "dying_lemmas")
DYING_HELPERS = word_set("tolls", "dying_helpers")
JOINERS = tuple(tuple(j) for j in word_value("tolls", "list_joiners"))
TAIL_STOP = word_set("tolls", "tail_stop")
TAIL_VERBS = word_set("tolls", "tail_verbs")
SHARE_PREPS = word_set("tolls", "share_preps")
SHARE_PRONOUNS = word_set("tolls", "share_pronouns")
SHARE_DEATH_WORDS = word_set("tolls", "share_death_words")
NUMBER_LEAD = word_set("tolls", "number_phrase_lead")
COUNT_PREFIX = re.compile(r"^(" + "|".join(re.escape(p) for p in word_seq("tolls", "count_prefixes")) + r")\s+")
NOT_PEOPLE_ENTS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL")
NOT_COUNT_ENTS = ("DATE", "TIME", "MONEY", "PERCENT")
MAX_TOLL = 100000


def parse_count(text: str) -> int | None:
    """'at least 12', 'twenty-five', 'a dozen', 'two hundred' -> the number; else None."""
    t = text.lower().replace(",", "").strip()
    t = COUNT_PREFIX.sub("", t, count=1)
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    parts = re.split(r"[\s-]+", t)
    if parts and all(p in NUMBER_WORDS for p in parts):
        total = 0
        for p in parts:
            v = NUMBER_WORDS[p]
            total = total * v if v == 100 and total else total + v
        return total
    return None


class Tolls:
    """The death counts of one doc's sentences, each read once: a sentence with several triggers
    asks for each."""

    def __init__(self, lex: EventLexicon) -> None:
        self.lex = lex
        self._read: dict[tuple[int, int], int | None] = {}  # (sentence start, end) -> count

    def fatalities(self, sent: Span, t: Token) -> int | None:
        """The largest death count stated in the sentence ('killing at least 10 people, six of them
        rebels' -> 10), or the share of a split toll that names the trigger's event."""
        share = share_of(sent.doc, t)
        if share is not None:
            return share
        key = (sent.start, sent.end)
        if key not in self._read:
            self._read[key] = sentence_toll(sent, self.lex)
        return self._read[key]


def sentence_toll(sent: Span, lex: EventLexicon) -> int | None:
    """The death count a sentence states, whichever its trigger: the largest figure read; a lone
    'a soldier was killed' or 'no one was killed' stands only when no figure does."""
    doc = sent.doc
    toks = list(sent)
    table = state(doc).tokens(doc)
    lower = table.lower[sent.start : sent.end]
    like_num = table.like_num(doc)[sent.start : sent.end]
    best = None
    for k in range(len(toks)):
        # every reading starts at one of these words, a number, or the word after 'of': the
        # others are passed over on plain lists
        if not (like_num[k] or lower[k] in TOLL_WORDS or k >= 2 and lower[k - 1] == "of"):
            continue
        found = _toll_at(doc, toks, k, lex)
        if found is None:
            continue
        n, weak = found
        if best is None:
            best = n
        elif not weak:
            best = max(best, n)
    return best if best is not None else _named_victim(toks, lex)


def _named_victim(toks: list[Token], lex: EventLexicon) -> int | None:
    """1 when a person named by name dies ('Willy Ngoma, the group's spokesman, was killed in a
    drone strike', 'the strike killed commander Abu Ahmed'): a toll no number states."""
    for x in toks:
        if x.ent_type_ != "PERSON":
            continue
        for _ in range(3):  # "the spokesman Willy Ngoma": the name hangs off its title
            if x.dep_ in ("compound", "appos") and x.head != x:
                x = x.head
        if x.dep_ not in ("nsubjpass", "nsubj", "dobj"):
            continue
        verb = x.head
        if verb.pos_ != "VERB" or not (verb.lower_ in lex.death or verb.lemma_.lower() in lex.death):
            continue
        if x.dep_ == "nsubj" and verb.lemma_.lower() not in DYING_LEMMAS:
            continue  # "Ngoma killed five": the named one killed, not died
        if not any(c.lower_ in INJURY for c in verb.children if c.dep_ == "conj"):
            return 1
    return None


def _toll_at(doc: Doc, toks: list[Token], k: int, lex: EventLexicon) -> tuple[int, bool] | None:
    """(count, weak) of the reading that starts at k; a weak one does not outweigh a figure."""
    tok = toks[k]
    prev_w = toks[k - 1].lower_ if k else ""
    if is_tally(tok, count=True):
        return None  # "450 soldiers have been killed so far this year": a running total
    if tok.lower_ in NO_ONE and prev_w == "no" or tok.lower_ == "nobody":
        # "No one was killed": a stated toll of zero, which a count elsewhere outweighs
        if any(x.lower_ in lex.death or x.lemma_.lower() in lex.death for x in toks[k + 1 : k + 4]):
            return 0, True
        return None
    if tok.lower_ in ("a", "an") and k + 2 < len(toks) and toks[k + 1].lemma_.lower() in lex.person_objects \
            and toks[k + 1].tag_ == "NN" and toks[k + 1].dep_ in ("nsubj", "nsubjpass") and _dies(toks, k + 2, lex):
        return 1, True  # "a soldier was killed", "a policeman embraced martyrdom"
    if tok.lower_ in ("a", "an") and _one_victim(tok, toks, lex):
        return 1, True  # "killed a French aid worker", "a top Russian general was killed"
    if prev_w == "of" and k >= 2 and toks[k - 2].lemma_.lower() in DEATH_NOUNS:
        n = parse_count(number_phrase(doc, tok))
        if n is not None:
            return n, False  # "the deaths of two aid workers"
    n = _stated_count(doc, toks, k, lex)
    return None if n is None else (n, False)


def _stated_count(doc: Doc, toks: list[Token], k: int, lex: EventLexicon) -> int | None:
    """The number at k with the shares coordinated to it, when the words say those died: a death
    word closes its list, the parse makes it the subject or object of one, or it follows 'killing'."""
    tok = toks[k]
    if not _counts_people(toks, k, lex):
        return None
    extra = _closed_by_death(toks, k, lex)
    if extra is None and _dies_in_parse(tok, lex):
        extra = _tail_counts(toks, k)  # "At least 11 members of a group formed by ... were killed"
    if extra is None and _after_killing(toks, k):
        extra = _tail_counts(toks, k)
    if extra is None:
        return None
    n = parse_count(number_phrase(doc, tok))
    if n is None or n >= MAX_TOLL:
        return None
    return n + extra


def _counts_people(toks: list[Token], k: int, lex: EventLexicon) -> bool:
    """Whether the word at k is a number that may count people (not a date, distance or raids)."""
    tok = toks[k]
    if not (tok.like_num or tok.lower_ in NUMBER_WORDS):
        return False
    if tok.ent_type_ in NOT_PEOPLE_ENTS:
        return False
    nxt = toks[k + 1].lower_ if k + 1 < len(toks) else ""
    if nxt in NOT_COUNT_NEXT or (k + 1 < len(toks) and toks[k + 1].like_num):
        return False
    # "15 air strikes", "three raids": events counted, not people
    return not (tok.dep_ == "nummod" and (tok.head.lower_ in NOT_COUNT_NEXT or tok.head.lemma_.lower() in lex.nouns))


def _closed_by_death(toks: list[Token], k: int, lex: EventLexicon) -> int | None:
    """The partners' sum when a death word follows the number at k before any injury word or
    other figure ('85 civilians were killed and 110 injured' -> 0, 'two lawmakers and 13 other
    people were killed' -> 13); None when none does."""
    extra = 0
    for j in range(k + 1, min(len(toks), k + 11)):
        x = toks[j]
        w = x.lower_
        if w in INJURY or x.text == ";":
            return None
        if x.like_num or w in NUMBER_WORDS:
            prev = toks[j - 1].lower_
            if prev in SUBSET_WORDS:
                continue  # "15 people, including two lawmakers, were killed": a subset
            if prev in SUM_JOINERS:
                v = parse_count(x.text)
                if v is not None:
                    extra += v  # "two lawmakers and 13 other people were killed": a sum
                    continue
            return None
        if w in ("a", "an") and toks[j - 1].lower_ == "and" and j + 1 < len(toks) and toks[j + 1].pos_ == "NOUN":
            extra += 1  # "five bandits and a soldier were killed": six
            continue
        if w in lex.death or x.lemma_.lower() in lex.death:
            return None if combined(toks, j, INJURY) else extra + _tail_counts(toks, j)
    return None


def _dies_in_parse(tok: Token, lex: EventLexicon) -> bool:
    """Whether the number's noun is the subject or object of a death verb that no injury shares."""
    head = tok.head if tok.dep_ in ("nummod", "quantmod") else tok
    if head.dep_ not in ("nsubjpass", "nsubj", "dobj"):
        return False
    verb = head.head
    return (verb.lemma_.lower() in lex.death or verb.lower_ in lex.death) and not any(
        c.lower_ in INJURY for c in verb.children if c.dep_ == "conj")


def _after_killing(toks: list[Token], k: int) -> bool:
    """'killing 10', 'the toll rose to 30' -- unless an injury word follows in the same clause
    ('killed and 20 others were wounded')."""
    before = {x.lower_ for x in toks[max(0, k - 3) : k]}
    ahead = []
    for x in toks[k + 1 : k + 5]:
        if x.like_num or x.lower_ in NUMBER_WORDS or x.lower_ in CLAUSE_BREAKS:
            break  # "killed seven people and wounded 20": the wounds are another clause
        ahead.append(x.lower_)
    return bool(before & KILLING_CUES) and not set(ahead) & INJURY


def _one_victim(det: Token, toks: list[Token], lex: EventLexicon) -> bool:
    """Whether 'a'/'an' opens one person's noun phrase that a death word governs: the object of
    a killing verb, the subject of a dying one, or the 'of' of a death noun ('the killing of a
    general'), whatever adjectives stand between ('a French aid worker')."""
    h = det.head
    if det.dep_ != "det" or h.tag_ != "NN" or h.lemma_.lower() not in lex.person_objects:
        return False
    gov = h.head
    if h.dep_ == "dobj" and gov.pos_ == "VERB":
        return gov.lower_ in lex.death or gov.lemma_.lower() in lex.death
    if h.dep_ == "pobj" and gov.lower_ == "of":
        return gov.head.lower_ in DEATH_NOUNS or gov.head.lemma_.lower() in DEATH_NOUNS
    if h.dep_ in ("nsubj", "nsubjpass"):
        j = h.i - toks[0].i + 1
        return _dies(toks, j, lex)
    return False


def _dies(toks: list[Token], j: int, lex: EventLexicon) -> bool:
    """Whether the words from j on say that the noun before them died ('was killed', 'embraced
    martyrdom', 'died'), before anything else happens to it."""
    for x in toks[j : j + 8]:
        w, lem = x.lower_, x.lemma_.lower()
        if w in INJURY:
            return False
        if w in lex.death or lem in lex.death or lem in DYING_LEMMAS:
            return True
        if x.pos_ == "VERB" and lem not in DYING_HELPERS:
            return False
    return False


def _tail_counts(toks: list[Token], k: int) -> int:
    """Counts coordinated after the one at k: 'killed 129 troops along with 583 gunmen', 'killing
    five soldiers and three civilians' -- each a share of one toll, so they add up. A count that an
    injury word follows ('and 30 wounded') is another figure and ends the list."""
    extra, j = 0, k + 1
    while j < len(toks) and j - k < 16:
        x = toks[j]
        if x.lower_ in INJURY or x.text in (";", ".", ":", "(") or x.lower_ in TAIL_STOP and x.lower_ != "as":
            break
        joined = next((len(jn) for jn in JOINERS if [t.lower_ for t in toks[j : j + len(jn)]] == list(jn)), 0)
        if not joined:
            if x.pos_ == "VERB" and x.i != toks[k].i and x.dep_ not in ("amod",) and x.lower_ not in TAIL_VERBS:
                break
            j += 1
            continue
        n_i = j + joined
        if n_i >= len(toks):
            break
        y = toks[n_i]
        v = parse_count(y.text) if (y.like_num or y.lower_ in NUMBER_WORDS) else None
        if v is None or y.ent_type_ in NOT_COUNT_ENTS:
            j = n_i
            continue
        ahead = {t.lower_ for t in toks[n_i + 1 : n_i + 4]}
        if ahead & INJURY or (n_i + 1 < len(toks) and toks[n_i + 1].lower_ in NOT_COUNT_NEXT):
            break
        extra += v
        j = n_i + 1
    return extra


def share_of(doc: Doc, t: Token) -> int | None:
    """A toll split across events names each share just before its event: 'More than 60 people
    died, 25 of them in a factional clash and 21 in fighting between ...' -> 25 for the clash."""
    if t.pos_ != "NOUN":
        return None
    k = t.i - 1
    while k > t.sent.start and doc[k].dep_ in ("det", "amod", "compound") and t.i - k < 4:
        k -= 1
    if doc[k].lower_ not in SHARE_PREPS:
        return None
    k -= 1
    if k >= 1 and doc[k].lower_ in SHARE_PRONOUNS and doc[k - 1].lower_ == "of":
        k -= 2
    if k < t.sent.start or not (doc[k].like_num or doc[k].lower_ in NUMBER_WORDS):
        return None
    if not any(x.lower_ in SHARE_DEATH_WORDS for x in t.sent):
        return None
    return parse_count(doc[k].text)


def number_phrase(doc: Doc, tok: Token) -> str:
    """The words of a count around its number: 'at least twenty-five'."""
    start = tok.i
    while start > 0 and doc[start - 1].lower_ in NUMBER_LEAD:
        start -= 1
    end = tok.i + 1
    while end < len(doc) and (doc[end].like_num or doc[end].lower_ in NUMBER_WORDS or doc[end].text == "-") and end - tok.i < 4:
        end += 1
    return doc[start:end].text
