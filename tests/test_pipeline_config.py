"""The gazetteer reaches the place and actor components through spaCy's factory config (issue 14):
`nlp.add_pipe("ckg_places", config={"gazetteer": "/path/x.sqlite"})` uses that index, and the
default (null) is the shipped one, so build_nlp passes nothing."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from kg.geo.gazetteer import Gazetteer, GazetteerError
from kg.nlp.pipeline import build_nlp, load_base_model
from kg.nlp.state import DocState

TEXT = "Shelling in Hama\n\nSyrian troops shelled Hama on Monday, and Moscow said its jets struck Idlib."


def _run(nlp, text: str = TEXT) -> DocState:
    doc = nlp.make_doc(text)
    doc._.kg = DocState(published=dt.date(2015, 10, 15), body_start=len("Shelling in Hama") + 2, text=text)
    return nlp(doc)._.kg


def _pipeline(config: dict):
    nlp = load_base_model()
    nlp.add_pipe("ckg_lines", before="parser")
    nlp.add_pipe("ckg_places", config=config)
    nlp.add_pipe("ckg_actors", config=config)
    return nlp


def test_default_needs_no_config():
    nlp = build_nlp()
    for name in ("ckg_places", "ckg_actors"):
        assert nlp.config["components"][name]["gazetteer"] is None
        assert nlp.get_pipe(name).gaz is Gazetteer.default()


def test_explicit_gazetteer_path(tmp_path):
    copy = tmp_path / "x.sqlite"
    shutil.copyfile(Gazetteer.default().path, copy)
    nlp = _pipeline({"gazetteer": str(copy)})
    places, actors = nlp.get_pipe("ckg_places"), nlp.get_pipe("ckg_actors")
    assert places.gaz.path == copy and actors.gaz.path == copy
    assert places.gaz is not Gazetteer.default()
    st = _run(nlp)
    assert "place/geonames/170017" in st.places  # Hama, Syria
    default = _pipeline({})
    assert set(_run(default).places) == set(st.places)
    assert set(st.actors) == set(_run(default).actors)


def test_missing_gazetteer_path_fails_at_build(tmp_path):
    nlp = load_base_model()
    with pytest.raises(GazetteerError):
        nlp.add_pipe("ckg_places", config={"gazetteer": str(tmp_path / "none.sqlite")})
