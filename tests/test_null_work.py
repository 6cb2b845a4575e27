"""Nothing for doing nothing: for every assignment, a file per kind of null work (None, the input,
zeros, ones, a constant, the untrained starting point, nothing done in place, an object equal to
everything) scores 0 on every function, side-effect checks included: those count only when the
result on the same input is right, and their titles say so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from autograder.trusted.assignment import names
from autograder.trusted.registry import SIDE_EFFECT, all_checks

KINDS = {"returns_none", "returns_input", "returns_zeros", "returns_ones", "returns_constant", "untrained",
         "does_nothing_in_place", "equal_to_everything"}


@pytest.mark.parametrize("name", names())
def test_null_work_scores_zero_everywhere(name: str, tmp_path: Path) -> None:
    corpus = REPO / "tests" / "submissions" / name / "null"
    assert {p.stem for p in corpus.glob("*.py")} == KINDS
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(corpus), "--assignment", name,
                           "--jobs", "2", "--out", str(tmp_path)], capture_output=True, text=True, cwd=REPO,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    side_effects = {c.id for c in all_checks(name) if c.side_effect}
    assert side_effects, f"{name} has no side-effect check: nothing to gate"
    for kind in sorted(KINDS):
        result = json.loads((tmp_path / f"{kind}.json").read_text(encoding="utf-8"))
        earned = {t["extra_data"]["check"]: t["score"] for t in result["tests"]}
        assert result["score"] == 0, (kind, {c: s for c, s in earned.items() if s})
        gated = [t for t in result["tests"] if t["extra_data"]["check"] in side_effects]
        assert all(t["status"] == "failed" for t in gated)


@pytest.mark.parametrize("name", names())
def test_side_effect_titles_say_they_need_a_right_result(name: str) -> None:
    for check in all_checks(name):
        assert check.title.endswith(SIDE_EFFECT.en) == check.side_effect, check.id
        assert check.title_ko.endswith(SIDE_EFFECT.ko) == check.side_effect, check.id
