"""Where the shared annotated corpus lives, for the tests, benchmarks and reliability scripts.

The corpus sits beside the project (`../shared/corpus`) in this workplace; a clone elsewhere finds
it through `KG_CORPUS`, else at the workplace's fixed place. Code that needs it and finds none
says so (tests skip) rather than failing on a path.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    """The first of KG_CORPUS, ../shared/corpus and /work/shared/corpus that exists (else the
    second, which does not)."""
    candidates = [Path(os.environ["KG_CORPUS"])] if os.environ.get("KG_CORPUS") else []
    candidates += [ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")]
    for c in candidates:
        if (c / "dev").is_dir():
            return c
    return ROOT.parent / "shared" / "corpus"
