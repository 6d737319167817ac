"""docs/architecture.md's layering: kg/sparql formats and binds query results without importing
kg/store at run time (the result records live in kg/model; the Store interface is an annotation)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _runtime_imports(path: Path) -> set[str]:
    """Modules a file imports outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for b in node.body for n in ast.walk(b))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_sparql_layer_does_not_import_the_store_layer():
    offenders = {p.name: m for p in (ROOT / "kg" / "sparql").glob("*.py")
                 for m in _runtime_imports(p) if m.startswith("kg.store")}
    assert offenders == {}


def test_result_records_live_in_the_model_and_are_re_exported_by_the_store():
    import kg.model.results as model
    import kg.store.base as base

    assert base.QueryResult is model.QueryResult and base.ResultStream is model.ResultStream
    assert not any(m.startswith("kg.") for m in _runtime_imports(ROOT / "kg" / "model" / "results.py"))
