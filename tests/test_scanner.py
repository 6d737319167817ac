"""The one SPARQL scanner (kg/sparql/scanner.py): strings, IRIs, comments and `<` as less-than,
and the checks built on it (SERVICE refusal, Update detection, parameter binding)."""

from __future__ import annotations

import time

import pyoxigraph as ox

from kg.sparql.named import with_bindings
from kg.sparql.scanner import code_only, is_update, uses_service


def test_long_string_with_inner_quote_hides_brace_and_service():
    q = 'SELECT * WHERE { ?s ?p """a "b { SERVICE c""" }'
    code = code_only(q)
    assert len(code) == len(q)
    assert code.count("{") == 1 and "SERVICE" not in code
    assert not uses_service(q)


def test_binding_never_lands_in_a_string_literal():
    q = 'SELECT ?s WHERE { ?s ?p """x "y { z""" . ?s ?q ?place }'
    out = with_bindings(q, {"place": ox.Literal("Homs")})
    assert out.startswith('SELECT ?s WHERE {\n  VALUES (?place) { ("Homs") }\n')
    assert '"""x "y { z"""' in out


def test_all_four_quote_forms_and_escapes():
    for lit in ("'a { b'", '"a { b"', "'''a ' '' { b'''", '"""a " "" { b"""', r'"a \" { b"', r"'''a \''' { b'''"):
        code = code_only(f"SELECT * {{ ?s ?p {lit} }}")
        assert code.count("{") == 1 and code.count("}") == 1, lit


def test_comments_but_not_inside_iris_or_strings():
    q = "SELECT * WHERE { ?s <http://x/#frag> ?o . ?s ?p '# not a comment' } # SERVICE {\n"
    code = code_only(q)
    assert code.count("{") == 1 and code.count("}") == 1 and "SERVICE" not in code
    assert uses_service("SELECT * { ?s <http://x/#a> ?o . SERVICE <http://e/> { ?a ?b ?c } }")


def test_less_than_is_not_an_iri():
    assert uses_service("SELECT * WHERE { ?s ?p ?n FILTER(?n<2)SERVICE<http://x/>{?a ?b ?c} }")
    # a comparison that looks like an IRI up to a '#', which the parser reads as a comment
    assert uses_service("SELECT * WHERE { ?s ?p ?n FILTER(?n<2)SERVICE#>\n<http://x/>{?a ?b ?c} }")
    assert uses_service("SELECT * WHERE { ?s ?p ?n .FILTER(?n<2)SERVICE#>\n<http://x/>{?a ?b ?c} }")
    # in a triple pattern, in FROM and DESCRIBE the same text is an IRI
    assert not uses_service("SELECT * WHERE { ?s<http://x/service>?o }")
    assert uses_service("DESCRIBE ?x <http://a#b> WHERE { SERVICE <http://e/> { ?x ?p ?o } }")
    assert uses_service("SELECT * FROM <http://g#x> WHERE { SERVICE <http://e/> { ?x ?p ?o } }")


def test_prefixed_name_escapes_open_no_string():
    assert uses_service(r"SELECT * WHERE { ?s ex:a\' ?o . SERVICE <http://e/> { ?x ?p ?o } ?s ex:b\' ?o }")


def test_update_detection():
    assert is_update("PREFIX a: <x:>\n\nINSERT DATA { <a> <b> <c> }")
    assert is_update("# note\nBASE <http://x/>\nDELETE WHERE { ?s ?p ?o }")
    assert is_update("PREFIX a: <x:> DROP ALL")
    assert not is_update("PREFIX a: <x:>\nSELECT * WHERE { ?s ?p 'INSERT' }")
    assert not is_update("SELECT ?insert WHERE { ?insert ?p ?o }")


def test_scanner_is_linear_on_long_prologues():
    prologue = "PREFIX a: <x:>\n\n" * 125  # 2,000 characters
    for text in (prologue, prologue + "SELECT * WHERE { ?s ?p ?o }", prologue + "INSERT DATA { <a> <b> <c> }"):
        t0 = time.perf_counter()
        is_update(text)
        uses_service(text)
        assert time.perf_counter() - t0 < 0.5
    t0 = time.perf_counter()
    code_only('"""' + "\\\" '' " * 50_000 + "'''a\n" * 20_000 + "<" * 50_000)
    assert time.perf_counter() - t0 < 2.0
