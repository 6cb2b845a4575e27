"""Stored plans: current, ignored when stale, and grading with them gives the verdicts hypothesis gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from conftest import REPO, SUBMISSIONS

from autograder.trusted import plans, trial
from autograder.trusted.grader import grade_file
from autograder.trusted.registry import all_checks
from autograder.trusted.sandbox import Sandbox


def _same(a: object, b: object) -> bool:
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


GENERATE = ("import sys, pathlib; from autograder.trusted import plans; "
            "plans.save(plans.generate(), pathlib.Path(sys.argv[1]))")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> plans.Stored:
    """Plans and reference answers generated now, in a fresh process as `make install` makes them: hypothesis
    also draws the constants written in every local module loaded, so a test process that has imported other
    modules (every test file, for a start) would generate other examples."""
    path = tmp_path_factory.mktemp("plans") / "plans.safetensors"
    subprocess.run([sys.executable, "-c", GENERATE, str(path)], check=True, cwd=REPO)
    return plans.load(path)


def test_the_installed_plans_are_current(fresh: plans.Stored) -> None:
    stored = plans.load()
    assert stored.plans, f"no current plans in {plans.PLANS_FILE}: run `make install`"
    assert stored.plans.keys() == fresh.plans.keys()
    for key in fresh.plans:
        assert _same(stored.plans[key], fresh.plans[key]), key
    assert stored.reference_answers.keys() == fresh.reference_answers.keys()


def test_a_round_trip_keeps_every_example_exactly(fresh: plans.Stored, tmp_path: Path) -> None:
    plans.save(fresh, tmp_path / "plans.safetensors")
    again = plans.load(tmp_path / "plans.safetensors")
    assert again.plans.keys() == fresh.plans.keys()
    assert all(_same(again.plans[k], fresh.plans[k]) for k in fresh.plans)
    for key, (_facts, tensors) in fresh.reference_answers.items():
        assert _same(again.reference_answers[key][1], tensors), key


def test_plans_made_for_other_checks_are_ignored(fresh: plans.Stored, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    plans.save(fresh, tmp_path / "plans.safetensors")
    monkeypatch.setattr(plans, "version", lambda: "checks edited since")
    assert plans.load(tmp_path / "plans.safetensors") == plans.Stored()
    (tmp_path / "broken.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    assert plans.load(tmp_path / "broken.safetensors") == plans.Stored()


@pytest.fixture()
def without_plans() -> Iterator[None]:
    saved = dict(trial.PLANS)
    trial.PLANS.clear()
    try:
        yield
    finally:
        trial.PLANS.clear()
        trial.PLANS.update(saved)


def _verdicts(path: Path) -> list[tuple[str, bool, str, str]]:
    with Sandbox() as sandbox:
        result = grade_file(path, sandbox, all_checks())
    return [(o.check_id, o.passed, o.kind, o.message) for o in result.outcomes]


@pytest.mark.parametrize("name", ["no_seed.py", "overflowing_sigmoid.py", "sum_instead_of_mean.py"])
def test_the_fast_path_gives_hypothesis_own_verdicts(name: str, tmp_path: Path, without_plans: None) -> None:
    """The same messages, shrunk inputs included, whether plans are stored or searched live."""
    path = tmp_path / name
    shutil.copy(SUBMISSIONS / "demo" / name, path)
    live = _verdicts(path)
    trial.PLANS.update(plans.load().plans)
    assert trial.PLANS, "no stored plans to compare with"
    assert _verdicts(path) == live
    assert not all(passed for _, passed, _, _ in live)
