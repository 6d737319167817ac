"""A first user's mistakes and surprises (issue 17): a misspelt parameter value that silently
matched nothing, digits that were not ASCII, a binary .rq file, syntax-error positions shifted by
kg's own prefix lines, HTML pages in a declared legacy encoding refused as "not valid UTF-8", and
`kg ontology check` saying "conforms / consistent" over data full of extraction errors."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.read.errors import InputError
from kg.read.html import page_text
from kg.read.readers import read_path
from kg.sparql.errors import QueryError
from kg.sparql.named import bind_params, named_queries, resolve_query

from .conftest import run_kg

# -- 1. parameters -------------------------------------------------------------------------------


def test_misspelt_event_class_is_refused_with_the_nearest(tmp_path: Path) -> None:
    p = run_kg("query", "events", "--param", "class=Airstrke", store=tmp_path / "none")
    assert p.returncode == 2, p.stdout_text  # was 0 with "(0 rows)"
    assert p.stderr_text.strip() == "kg: error: parameter class: unknown event class 'Airstrke'; did you mean Airstrike?"


@pytest.mark.parametrize("query, params, nearest", [
    ("actors", {"class": "Armee"}, "did you mean Army?"),
    ("actors", {"class": "Rebelgroup "}, "did you mean RebelGroup?"),
    ("actor-events", {"actor": "rebels", "role": "targt"}, "unknown role 'targt'; did you mean target?"),
    ("evidence", {"subject": "a", "object": "b", "predicate": "control"}, "did you mean controls?"),
    ("events", {"class": "Xyzzy"}, "one of: Airstrike, ArmedClash"),
])
def test_enumerated_values_are_checked(query: str, params: dict, nearest: str) -> None:
    with pytest.raises(QueryError, match=nearest.replace("?", r"\?")):
        bind_params(named_queries()[query], params)


def test_allowed_values_pass_in_any_case() -> None:
    qs = named_queries()
    for query, params in [("events", {"class": "airstrike"}), ("events", {"class": "TerritoryCapture"}),
                          ("actors", {"class": "NonStateArmedGroup"}), ("actors", {"class": "Actor"}),
                          ("actor-events", {"actor": "x", "role": "ANY"}),
                          ("evidence", {"subject": "a", "object": "b", "predicate": "locatedin"})]:
        bound = bind_params(qs[query], params)
        for k, v in params.items():
            assert bound[k] == ox.Literal(v)  # the value as given: the queries compare in lower case
    # kg query --list still shows these as strings
    assert {p.type for p in qs["events"].params if p.name == "class"} == {"string"}


def test_non_ascii_digits_are_not_an_integer() -> None:
    with pytest.raises(QueryError, match="parameter km: '١٢' is not an integer"):  # was the 50 km default
        bind_params(named_queries()["events-near"], {"place": "Homs", "km": "١٢"})
    assert bind_params(named_queries()["events-near"], {"place": "Homs", "km": "12"})["km"].value == "12"


def test_binary_query_file_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "x.rq"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x96\xff")
    p = run_kg("query", str(f), store=tmp_path / "none")
    assert p.returncode == 1
    assert p.stderr_text.count("\n") == 1 and "internal error" not in p.stderr_text  # was UnicodeDecodeError
    assert f"query file {f}: not UTF-8 text" in p.stderr_text
    g = tmp_path / "nul.rq"
    g.write_bytes(b"SELECT * WHERE { ?s ?p ?o }\x00\x00")
    with pytest.raises(QueryError, match="binary data"):
        resolve_query(str(g))


def test_syntax_error_positions_are_in_the_users_file(tmp_path: Path, example_store: Path) -> None:
    f = tmp_path / "bad.rq"
    f.write_text("# name: bad\n# param: place label optional  a place\n"
                 "SELECT * WHERE { ?s ?p ?place .\n BIND(1 AS ?x ?y)\n}\n", encoding="utf-8")
    one_line = tmp_path / "oneline.rq"
    one_line.write_text("# param: place label optional  a place\nSELECT * WHERE { ?s ?p ?place . BIND(1 AS ?x ?y) }\n",
                        encoding="utf-8")
    col = one_line.read_text().splitlines()[1].index("?y") + 1
    for path, where in ((f, "at 4:15"), (one_line, f"at 2:{col}")):
        for extra in ((), ("--param", "place=Homs")):  # bound: a VALUES line is inserted after the `{`
            p = run_kg("query", str(path), *extra, store=example_store)
            assert p.returncode == 1
            assert f"invalid SPARQL: error {where}:" in p.stderr_text, p.stderr_text  # was at 15:15


# -- 2. encodings ----------------------------------------------------------------------------------
BODY = ("The Syrian army launched an offensive near Homs on Thursday, the Syrian Observatory for Human "
        "Rights said. Rebels in Talbisseh said 12 civilians were killed in the “heaviest” shelling — café owners fled.")
RU = ("Сирийская армия начала наступление под Хомсом , сообщила Сирийская обсерватория по правам человека . "
      "Повстанцы в Тальбисе заявили , что погибли двенадцать мирных жителей .")
JA = "シリア軍はホムス近郊で攻勢を開始したと、シリア人権監視団が発表した。タルビセの反政府勢力は、民間人十二人が死亡したと述べた。"


def _page(head: str, body: str) -> str:
    return (f"<html><head>{head}<title>Homs offensive</title></head><body><article><h1>Homs offensive</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")


@pytest.mark.parametrize("name, head, body, encoding", [
    ("meta.html", '<meta charset="windows-1252">', BODY, "cp1252"),
    ("equiv.html", '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', RU, "koi8_r"),
    ("latin1.html", "<meta charset='ISO-8859-1'>", BODY, "cp1252"),  # browsers read latin-1 as cp1252
    ("undeclared.html", "", BODY, "cp1252"),
])
def test_declared_legacy_encodings_are_read(tmp_path: Path, name: str, head: str, body: str, encoding: str) -> None:
    f = tmp_path / name
    f.write_bytes(_page(head, body).encode(encoding))
    items = list(read_path(str(f)))
    assert len(items) == 1 and not isinstance(items[0], InputError), items  # was "not valid UTF-8"
    assert body.split(" . ")[0].split(", ")[0] in items[0].text


def test_shift_jis_and_xml_declaration(tmp_path: Path) -> None:
    assert JA in page_text(_page('<meta charset="shift_jis">', JA).encode("shift_jis"), "x.html")
    xml = '<?xml version="1.0" encoding="windows-1252"?>' + _page("", BODY)
    assert "“heaviest” shelling — café" in page_text(xml.encode("cp1252"), "x.xhtml")
    # UTF-8 pages are read as before, whatever they declare
    assert BODY in page_text(_page('<meta charset="windows-1252">', BODY).encode("utf-8"), "x.html")


def test_plain_text_stays_strict_and_names_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(("Homs offensive\n\n" + BODY).encode("cp1252"))
    (err,) = list(read_path(str(f)))
    assert isinstance(err, InputError)
    assert "not valid UTF-8" in str(err) and "iconv -f WINDOWS-1252 -t UTF-8" in str(err), str(err)


# -- 3. sanity checks ------------------------------------------------------------------------------
ARTICLE = "https://w3id.org/conflict-kg/id/article/00000000000000000001"
FIXTURE = """
@prefix ckg: <https://w3id.org/conflict-kg/ontology#> .
@prefix art: <https://w3id.org/conflict-kg/id/article/> .
@prefix act: <https://w3id.org/conflict-kg/id/actor/> .
@prefix pl: <https://w3id.org/conflict-kg/id/place/> .
@prefix ev: <https://w3id.org/conflict-kg/id/event/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
art:00000000000000000001 a ckg:Article ; schema:datePublished "2015-10-15"^^xsd:date .
act:army a ckg:Army ; rdfs:label "Syrian army" .
act:rebels a ckg:RebelGroup ; rdfs:label "rebels" .
pl:talbisseh a ckg:Town , ckg:Person ; rdfs:label "Talbisseh" .
pl:syria a ckg:Country , ckg:Government ; rdfs:label "Syria" .
pl:homs a ckg:City ; rdfs:label "Homs" .
ev:self a ckg:Shelling ; ckg:trigger "shelled" ; ckg:agent act:army ; ckg:target act:army ;
    ckg:evidence "The army shelled the army." ; ckg:mentionedIn art:00000000000000000001 .
ev:toll a ckg:Airstrike ; ckg:trigger "airstrike" ; ckg:fatalities 30 ;
    ckg:evidence "An airstrike killed five people and three children in 2015." ; ckg:mentionedIn art:00000000000000000001 .
ev:late a ckg:ArmedClash ; ckg:trigger "clashes" ; ckg:date "2016-01-02"^^xsd:date ;
    ckg:evidence "Clashes went on." ; ckg:mentionedIn art:00000000000000000001 .
ev:good a ckg:Airstrike ; ckg:trigger "airstrikes" ; ckg:agent act:army ; ckg:target act:rebels ;
    ckg:fatalities 25 ; ckg:date "2015-10-14"^^xsd:date ; ckg:place pl:homs ;
    ckg:evidence "Airstrikes killed twenty-five rebels, a soldier said." ; ckg:mentionedIn art:00000000000000000001 .
"""


@pytest.fixture(scope="module")
def suspect_store(tmp_path_factory) -> Path:
    from kg.store import open_store

    path = tmp_path_factory.mktemp("sanity") / "kg-store"
    store = open_store(str(path), None)
    try:
        store.put_graph(ARTICLE, [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                                  for t in ox.parse(FIXTURE, format=ox.RdfFormat.TURTLE)])
    finally:
        store.close()
    return path


def test_sanity_checks_find_one_of_each(suspect_store: Path) -> None:
    from kg.sparql.checks import run_checks
    from kg.store import open_store

    store = open_store(str(suspect_store), None, read_only=True)
    try:
        t0 = time.perf_counter()
        found = {f.name: f for f in run_checks(store)}
        took = time.perf_counter() - t0
    finally:
        store.close()
    assert {n: f.count for n, f in found.items()} == {
        "agent-is-target": 1, "place-as-actor": 1, "toll-vs-evidence": 1, "event-after-publication": 1}
    assert found["agent-is-target"].examples[0].startswith("ckr:event/self: Syrian army; The army shelled")
    (example,) = found["place-as-actor"].examples
    assert example.startswith("ckr:place/talbisseh: Talbisseh; ")
    assert set(example.split("; ")[1].split(" + ")) == {"Person", "Town"}
    assert found["toll-vs-evidence"].examples[0].startswith("ckr:event/toll: 30;")
    assert found["event-after-publication"].examples == ["ckr:event/late: 2016-01-02; 2015-10-15"]
    assert took < 2


def test_ontology_check_says_what_it_checks_and_fails_on_suspect_data(suspect_store: Path) -> None:
    p = run_kg("ontology", "check", store=suspect_store)
    out = p.stdout_text
    assert p.returncode == 1, out + p.stderr_text  # was 0: "consistent", "conforms"
    assert "HermiT: consistent" in out and "SHACL:" in out  # the existing checks' lines stay
    assert "not whether the articles were read right" in out
    assert "sanity: 1 event accounts whose agent is also their target" in out
    assert "sanity: 1 places also typed as an actor" in out
    assert "    ckr:event/late: 2016-01-02; 2015-10-15" in out


def test_no_false_alarms_on_the_example(example_store: Path) -> None:
    from kg.sparql.checks import run_checks
    from kg.store import open_store

    store = open_store(str(example_store), None, read_only=True)
    try:
        assert {f.name: f.count for f in run_checks(store)} == dict.fromkeys(
            ("agent-is-target", "place-as-actor", "toll-vs-evidence", "event-after-publication"), 0)
    finally:
        store.close()


def test_numbers_in_a_sentence() -> None:
    from kg.sparql.checks import numbers_in

    assert numbers_in("killing at least 1,200 people in 2015, twenty-five of them rebels; two hundred fled") == [1200, 25, 200]
