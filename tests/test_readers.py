"""The reader: headlines, page furniture, metadata, JSONL, HTML, encodings and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kg.read.readers import InputError, article_from_text, decode_bytes, is_furniture, parse_date, read_path

from .conftest import EXAMPLE


def test_example_drops_page_furniture_and_finds_headline():
    art = next(iter(read_path(str(EXAMPLE))))
    assert art.title == "Syria army, Russian warplanes push offensive in central Homs"
    assert "Skip to main content" not in art.text
    assert "newsletter" not in art.text.lower()
    assert "republishing" not in art.text
    assert "Talbisseh" in art.text
    assert any("Sign up" in f for f in art.furniture)


@pytest.mark.parametrize("line", [
    "Skip to main content", "Share this article", "Sign up to get the latest news", "© 2024 Reuters",
    "Photo: EFE", "By Staff Reporter", "04:53 PM | 27 Dec, 2020", "3 Min Read", "Advertisement",
])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "The army said it had retaken the town.", "By Sunday the rebels had withdrawn from the area of Talbisseh and beyond.",
    "Syrian government forces backed by Russian airstrikes launched an offensive.",
])
def test_body_lines_are_not_furniture(line):
    assert not is_furniture(line)


def test_same_text_same_identity():
    a = article_from_text("Headline\n\nBody  text here.", source="a")
    b = article_from_text("Headline\nBody text   here.\n", source="b")
    assert a.key == b.key


def test_jsonl_records_and_errors(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join([
        json.dumps({"text": "Rebels seized the town of Boni.", "title": "T1", "published": "2016-09-03"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "x", "published": "yesterday"}),
    ]), encoding="utf-8")
    items = list(read_path(str(f)))
    assert items[0].title == "T1" and items[0].published == dt.date(2016, 9, 3)
    errors = [str(i) for i in items[1:]]
    assert all(isinstance(i, InputError) for i in items[1:])
    assert "a.jsonl:2: malformed JSON" in errors[0]
    assert "missing or non-string 'text'" in errors[1] and "missing or non-string 'text'" in errors[2]
    assert "not a date" in errors[3]


def test_encodings():
    assert decode_bytes("é".encode("utf-8-sig"), "x") == "é"
    assert decode_bytes("Homs é".encode("utf-16"), "x") == "Homs é"
    with pytest.raises(InputError, match="not valid UTF-8"):
        decode_bytes("é".encode("latin-1") + b" text", "x")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x00\x01\x02abc", "x")
    with pytest.raises(InputError, match="empty"):
        decode_bytes(b"  \n ", "x")


def test_dates():
    assert parse_date("2015-10-15") == dt.date(2015, 10, 15)
    with pytest.raises(InputError):
        parse_date("15/10/2015")
    with pytest.raises(InputError, match="future"):
        parse_date("2999-01-01")


def test_folder_recursion_and_html(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Title A\n\nThe army shelled the town.", encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Clashes in Aleppo</title></head><body><nav>Skip to main content</nav>"
        "<article><h1>Clashes in Aleppo</h1><p>Rebels and government forces clashed in Aleppo on Monday, "
        "a monitor said. At least five fighters were killed in the fighting, the Syrian Observatory said. "
        "The clashes continued into the night, residents told reporters by telephone.</p></article>"
        "<footer>Copyright 2020</footer></body></html>", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    items = list(read_path(str(tmp_path)))
    assert len(items) == 2
    html = [i for i in items if "Aleppo" in (i.text + (i.title or ""))]
    assert html and "Copyright" not in html[0].text
