"""How gold and system names are compared: the folding rules the scores depend on (listed in
kg/ops/evaluate.py's docstring)."""

from __future__ import annotations

import re
from typing import Any

from kg.model.text import strip_marks

# names of one country that the gold and the gazetteer write differently
_COUNTRY_ALIASES = {"united kingdom": "britain", "uk": "britain", "great britain": "britain", "united states": "us",
                    "usa": "us", "united states of america": "us", "democratic republic of congo": "dr congo",
                    "democratic republic of the congo": "dr congo"}


def norm_name(text: str) -> str:
    t = strip_marks(text or "").lower()
    t = re.sub(r"[’‘`´ʿʾ']s\b", "", t)
    t = re.sub(r"[’‘`´ʿʾ'\".,()\[\]]", "", t)
    t = re.sub(r"[-_/]", " ", t)
    t = re.sub(r"^(the|a|an)\s+", "", t.strip())
    t = re.sub(r"\b(al|el|ad|ar|as|at|az|an|ash|ath)\s+(?=\w)", "", t)
    return re.sub(r"\s+", " ", t).strip()


def gold_names(item: dict[str, Any]) -> set[str]:
    """A gold item's name and aliases, folded."""
    return {norm_name(n) for n in [item.get("name", ""), *(item.get("aliases") or [])] if n}


def strip_level(name: str) -> str:
    """'aleppo province', 'province of aleppo', 'northwest region' -> the bare name."""
    t = re.sub(r"^(province|governorate|region|state|district|city|county) of ", "", name)
    return re.sub(r" (province|governorate|region|state|district|city|county|oblast)$", "", t)


def same_country(a: str, b: str) -> bool:
    na, nb = norm_name(a), norm_name(b)
    return _COUNTRY_ALIASES.get(na, na) == _COUNTRY_ALIASES.get(nb, nb)


def short(iri: str | None) -> str:
    """An IRI below ckr: as its path, for notes."""
    return "-" if iri is None else iri.rsplit("/id/", 1)[-1]
