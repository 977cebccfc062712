"""The README's "Adapting kg to a new conflict" guide works as written: its commands run in a
copy of kg's data, and the place and the rule added that way are used."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_guide_runs_as_written(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"<!-- guide -->\n```sh\n(.*?)```\n<!-- /guide -->", readme, re.DOTALL).group(1)
    for folder in ("lexicons", "rules", "ontology"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("KG_DATA_DIR", None)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "lexicons and rules: no problem"
    assert "Qatar,brokered_ceasefire" in lines  # found by the new rule only
    assert "Tawila" in lines  # the new place
    own = (ROOT / "lexicons" / "reporting_verbs.tsv").read_text(encoding="utf-8")
    assert "استهجنت" not in own and "استهجنت" in (tmp_path / "my-data" / "lexicons" / "reporting_verbs.tsv").read_text(
        encoding="utf-8")
