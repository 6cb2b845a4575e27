"""Typical mistakes of the lecture lose points on exactly the function that is wrong, and every
check of the registry is failed by at least one of them while the other functions keep full marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SUBMISSIONS, Batch, assert_graded_as_expected, entries

CASES = entries("mistakes", "demo")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    files = [SUBMISSIONS / path for path, _ in CASES]
    return Batch(files, tmp_path_factory.mktemp("mistakes"))


@pytest.mark.parametrize(("path", "spec"), CASES, ids=[p for p, _ in CASES])
def test_loses_points_only_on_the_wrong_function(batch: Batch, path: str, spec: dict) -> None:
    assert_graded_as_expected(batch, Path(path).stem, spec["wrong"])


def test_every_check_is_failed_by_some_single_mistake(batch: Batch, registry_checks: list) -> None:
    """A check nobody fails could be deleted without anyone noticing; each must catch a real mistake."""
    caught: dict[str, list[str]] = {c.id: [] for c in registry_checks}
    for path, spec in CASES:
        if len(spec["wrong"]) != 1:
            continue
        stem = Path(path).stem
        for test in batch.result(stem)["tests"]:
            if test["status"] == "failed" and test["tags"] == spec["wrong"]:
                caught[test["extra_data"]["check"]].append(stem)
    uncaught = sorted(check for check, by in caught.items() if not by)
    assert not uncaught, f"checks no mistake fails: {uncaught}"


def test_every_result_lists_every_check(batch: Batch, registry_checks: list) -> None:
    for path, _ in CASES:
        result = batch.result(Path(path).stem)
        assert [t["extra_data"]["check"] for t in result["tests"]] == [c.id for c in registry_checks]
        assert result["max_score"] == sum(c.points for c in registry_checks)
        assert result["score"] == sum(t["score"] for t in result["tests"])
