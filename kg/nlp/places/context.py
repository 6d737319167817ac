"""Resolution by the article's own context, on top of `kg.geo.resolve.resolve_place`.

`resolve_place` ranks a name's namesakes by the article's countries. Within a country it cannot
tell the three Novoselivkas apart, and across countries a small town in a country the article
merely mentions can beat the place meant ('Geneva' in a Syria story is not Geneva, Illinois). The
article says more than its countries: it names provinces and districts, and a village the text
places 'in the Donetsk region' lies there. This module holds those checks, built on the
gazetteer's public lookups (`matches`, `chain`, `get`), one function per rule:

- `plausible`: a division of a country the article never names, a national capital abroad
  reached only by another spelling ('Al-Jubah' is not Juba), or an ordinary English word
  resolved to a small town abroad ('Many', Louisiana) is no reading of the name;
- `famous_namesake`: a small foreign town gives way to a world-known place of the same name;
- `inside_named`: among namesakes in the article's country, the one inside a district or
  province the article names (or the province of a town it names) wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.geo.gazetteer import POPULATED, Gazetteer, GazPlace

NOTABLE_POP = 100_000  # known beyond its country (kg.geo.resolve uses the same figure)
_CAPITALS = ("PPLC", "PPLA", "PPLG")


def notable(p: GazPlace) -> bool:
    return p.feature in _CAPITALS or p.population >= NOTABLE_POP


@dataclass
class NamedDivisions:
    """The divisions an article names, by gazetteer key, and how strongly each one vouches for a
    place inside it: a district named (3), a province named (2), the province of a town named (1)."""

    weight: dict[str, int] = field(default_factory=dict)

    def add(self, gaz: Gazetteer, p: GazPlace) -> None:
        if p.cls == "District":
            self._put(p.key, 3)
        elif p.cls == "Province":
            self._put(p.key, 2)
        elif p.cls in POPULATED and p.admin1:
            self._put(p.admin1, 1)

    def _put(self, key: str, w: int) -> None:
        self.weight[key] = max(w, self.weight.get(key, 0))

    def tier(self, gaz: Gazetteer, p: GazPlace) -> int:
        """How strongly the named divisions hold `p`: the best weight among its parents."""
        return max((self.weight.get(x.key, 0) for x in gaz.chain(p)), default=0)


def plausible(gaz: Gazetteer, p: GazPlace, text: str, ctx: list[str]) -> bool:
    """Whether `p` may be what `text` means in an article about `ctx` (countries, main first)."""
    if p.cls == "Country":
        return True
    main = ctx[0] if ctx else None
    if p.cls in ("Province", "District") and ctx and p.cc not in ctx:
        return False  # 'Beni' in a Congo story is not Bolivia's El Beni department
    if p.cc != main and p.feature == "PPLC" and ctx and p.cc not in ctx:
        if not any(q.key == p.key and primary for q, primary in gaz.matches(text)):
            return False  # a foreign capital named by another spelling: likelier a local place
    if gaz.is_common_word(text) and p.cc != main and not notable(p):
        return False  # 'Many', 'Media': English words, not small towns abroad
    return True


def famous_namesake(gaz: Gazetteer, p: GazPlace, text: str, ctx: list[str]) -> GazPlace:
    """`p`, unless it is a minor place outside the article's own country and a world-known place
    (a national capital, or a provincial capital of 100,000) has the same name."""
    if p.cls not in POPULATED or (ctx and p.cc == ctx[0]) or notable(p):
        return p
    best = p
    for q, _primary in gaz.matches(text):
        if q.cls in POPULATED and (q.feature == "PPLC" or q.feature in _CAPITALS and q.population >= NOTABLE_POP) \
                and q.population > 10 * max(p.population, 1) and q.population > best.population:
            best = q
    return best


def inside_named(gaz: Gazetteer, p: GazPlace, text: str, named: NamedDivisions) -> GazPlace:
    """Of the populated places in `p`'s country called `text`, the one the article's named
    divisions hold most strongly; `p` itself on a tie."""
    if p.cls not in POPULATED or not named.weight:
        return p
    best, best_tier = p, named.tier(gaz, p)
    for q in _namesakes(gaz, p, text):
        t = named.tier(gaz, q)
        if t > best_tier or (t == best_tier and t > 0 and q.population > best.population and best is not p):
            best, best_tier = q, t
    return best


def _namesakes(gaz: Gazetteer, p: GazPlace, text: str) -> Iterable[GazPlace]:
    for q, _primary in gaz.matches(text):
        if q.key != p.key and q.cc == p.cc and q.cls in POPULATED:
            yield q
