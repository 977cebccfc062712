"""Where the project's data folders (ontology, shapes, queries, lexicons) live.

In a wheel they are packed into ``kg/_resources``; in a checkout or an editable
install they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg data folder {name!r} not found next to {_PACKAGE}")


def ontology_path(filename: str) -> Path:
    return resource_dir("ontology") / filename
