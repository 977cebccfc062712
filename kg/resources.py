"""Where the project's data folders (ontology, shapes, queries, lexicons, rules) live.

A researcher's own copy of some of them is used instead when KG_DATA_DIR names a folder
that holds them (see "Adapting kg to a new conflict" in the README).

In a wheel they are packed into ``kg/_resources``; in a checkout or an editable
install they are the top-level folders of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


DATA_ENV = "KG_DATA_DIR"  # a folder whose lexicons/, rules/, ontology/ replace kg's own


def resource_dir(name: str) -> Path:
    own = os.environ.get(DATA_ENV)
    if own and (Path(own) / name).is_dir():
        return Path(own) / name
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg data folder {name!r} not found next to {_PACKAGE}")


def ontology_path(filename: str) -> Path:
    return resource_dir("ontology") / filename
