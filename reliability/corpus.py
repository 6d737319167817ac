"""A JSONL of N real articles for the crash and signal tests, built from ../shared/corpus.

Why real texts: a kill must land while spaCy and the store do their real work on real-sized
articles (200-600 words, dozens of entities each), not on toy sentences. The 30 corpus texts are
repeated under a varied headline and publication date, so every copy is a distinct article with
its own IRI (the IRI is a hash of headline + body) and its own dates, while staying real text.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kg.runtime.corpus import corpus_dir

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIRS = [corpus_dir() / "dev", corpus_dir() / "homs-2015"]
OUTLETS = ["Test Wire", "Agence Test", "Reuters-like", "Local Daily", "Monitor Weekly"]


def corpus_texts(dirs: list[Path] | None = None) -> list[tuple[str, str]]:
    """(headline, body) of every corpus text: the first line is the headline."""
    out = []
    for d in dirs or CORPUS_DIRS:
        for f in sorted(Path(d).glob("*.txt")):
            head, _, body = f.read_text(encoding="utf-8").strip().partition("\n")
            out.append((head.strip(), body.strip()))
    if not out:
        raise SystemExit(f"no corpus texts under {', '.join(map(str, dirs or CORPUS_DIRS))}")
    return out


def build_jsonl(path: Path, n: int, *, dirs: list[Path] | None = None) -> Path:
    """Write n distinct articles (one JSON object a line) to path; returns path."""
    texts = corpus_texts(dirs)
    lines = []
    for i in range(n):
        head, body = texts[i % len(texts)]
        copy = i // len(texts)
        day = dt.date(2019, 1, 1) + dt.timedelta(days=(i * 7) % 1500)
        rec = {
            "title": head if copy == 0 else f"{head} (update {copy})",
            "text": body,
            "published": day.isoformat(),
            "outlet": OUTLETS[i % len(OUTLETS)],
            "url": f"https://news.example/{i}",
        }
        lines.append(json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
