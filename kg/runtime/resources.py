"""Locate files shipped with the package: kg/_data/ in an installed wheel, the repository's top
folders in a source checkout or editable install."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped(folder: str, name: str = "") -> Path:
    """Path of ontology/…, queries/… whether installed as a wheel or run from a checkout."""
    installed = Path(str(resources.files("kg"))) / "_data" / folder
    base = installed if installed.exists() else Path(__file__).resolve().parents[2] / folder
    return base / name if name else base


def data_file(name: str) -> Path:
    """Path of a file in kg/data/ (lexicons, gazetteer)."""
    return Path(str(resources.files("kg"))) / "data" / name
