"""Names the components give to actors they did not find in the lexicon: the generic side of a
country ("Syrian army", key actor/sy/army), and the headline test that tells a Title Case headline
(where capitals say nothing about proper names) from a sentence-case one."""

from __future__ import annotations

from kg.nlp.lexicon import actor_words, country_adjective, patterns


def title_case(headline: str) -> bool:
    """Whether most long words of a headline are capitalised: then a capital says nothing about names."""
    words = [w for w in headline.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) / len(words) > 0.8


def generic_key(cc: str | None, cls: str) -> str:
    roles = patterns()["generic_role_keys"]
    return f"actor/{(cc or 'xx').lower()}/{roles[cls]}"


def generic_label(cc: str | None, cls: str) -> str:
    tmpl = patterns()["generic_role_labels"][cls]
    adj = country_adjective(cc) if cc else ""
    return tmpl.format(adj=adj).strip()


def seat_at(lower: list[str], end: int) -> bool:
    """Whether the name ending before token `end` is where a body sits, not where things happen:
    "Britain-based monitor", "London based group". Such a country is no side and no theatre."""
    seat = actor_words()["seat_words"]
    j = end + 1 if end < len(lower) and lower[end] == "-" else end
    return j < len(lower) and lower[j] in seat
