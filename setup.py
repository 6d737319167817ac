"""Copies the top-level ontology/ and queries/ folders into the wheel as kg/_data/, so that a plain
`pip install .` (not only an editable one) finds them at run time."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        for name in ("ontology", "queries"):
            target = Path(self.build_lib, "kg", "_data", name)
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(here / name, target)


setup(cmdclass={"build_py": BuildPyWithData})
