"""The frozen dev/test split of the real corpus, fixed before any rule was tuned on it.

    python tests/real/split.py tests/real/gsr tests/real/news

An item is in the test split when the SHA-256 of SEED + its id, read as a number, is a
multiple of 3 (one third), else in dev: the split depends on nothing but the id, so adding
material never moves an item. Moves articles/<id>.txt and gold/<id>.json of a folder into
its dev/ and test/ subfolders (kg eval FOLDER/test/gold FOLDER/test/articles)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SEED = "kg-real-corpus-2026-12-02:"


def split_of(item_id: str) -> str:
    return "test" if int(hashlib.sha256((SEED + item_id).encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def place(folder: Path) -> dict[str, int]:
    counts = {"dev": 0, "test": 0}
    for gold in sorted((folder / "gold").glob("*.json")):
        part = split_of(gold.stem)
        for kind, name in (("gold", gold.name), ("articles", gold.stem + ".txt")):
            target = folder / part / kind
            target.mkdir(parents=True, exist_ok=True)
            (folder / kind / name).rename(target / name)
        counts[part] += 1
    return counts


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(argument, place(Path(argument)))
