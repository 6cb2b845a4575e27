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
from autograder.trusted.assignment import load, names
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


HOMEWORK = load("homework")


def _generate(name: str, path: Path) -> plans.Stored:
    """Plans and reference answers generated now, by a fresh process as `make install` does."""
    subprocess.run([sys.executable, "-m", "autograder.trusted.make_plans", "--to", str(path), name], check=True,
                   cwd=REPO, capture_output=True)
    return plans.load(load(name), path)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> plans.Stored:
    return _generate("homework", tmp_path_factory.mktemp("plans") / "plans.safetensors")


@pytest.mark.parametrize("name", names())
def test_the_installed_plans_are_current(name: str, tmp_path: Path) -> None:
    """Each assignment's stored file equals what a fresh process makes now (one file per assignment)."""
    fresh = _generate(name, tmp_path / "plans.safetensors")
    stored = plans.load(load(name))
    assert stored.plans, f"no current plans in {plans.plans_file(load(name))}: run `make install`"
    assert all(check.startswith(f"{name}/") for check, _ in stored.plans)
    assert stored.plans.keys() == fresh.plans.keys()
    for key in fresh.plans:
        assert _same(stored.plans[key], fresh.plans[key]), key
    assert stored.reference_answers.keys() == fresh.reference_answers.keys()


def test_a_round_trip_keeps_every_example_exactly(fresh: plans.Stored, tmp_path: Path) -> None:
    plans.save(fresh, HOMEWORK, tmp_path / "plans.safetensors")
    again = plans.load(HOMEWORK, tmp_path / "plans.safetensors")
    assert again.plans.keys() == fresh.plans.keys()
    assert all(_same(again.plans[k], fresh.plans[k]) for k in fresh.plans)
    for key, (_facts, tensors) in fresh.reference_answers.items():
        assert _same(again.reference_answers[key][1], tensors), key


def test_plans_made_for_other_checks_are_ignored(fresh: plans.Stored, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    plans.save(fresh, HOMEWORK, tmp_path / "plans.safetensors")
    assert plans.load(HOMEWORK, tmp_path / "plans.safetensors") != plans.Stored()
    monkeypatch.setattr(plans, "version", lambda assignment: "checks edited since")
    assert plans.load(HOMEWORK, tmp_path / "plans.safetensors") == plans.Stored()
    (tmp_path / "broken.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    assert plans.load(HOMEWORK, tmp_path / "broken.safetensors") == plans.Stored()


def test_another_assignments_data_changes_its_plans_version(tmp_path: Path) -> None:
    """The version covers the assignment's trusted folder and its data, not only the reference."""
    from dataclasses import replace

    copy = tmp_path / "public"
    shutil.copytree(HOMEWORK.public, copy)
    before = plans.version(replace(HOMEWORK, public=copy))
    (copy / "data.py").write_text((copy / "data.py").read_text() + "\n# changed\n")
    assert plans.version(replace(HOMEWORK, public=copy)) != before


@pytest.fixture()
def without_plans() -> Iterator[None]:
    saved, loaded = dict(trial.PLANS), set(trial.LOADED)
    trial.PLANS.clear()
    trial.LOADED.add("homework")  # as if read: nothing stored is used
    try:
        yield
    finally:
        trial.PLANS.clear()
        trial.PLANS.update(saved)
        trial.LOADED.clear()
        trial.LOADED.update(loaded)


def _verdicts(path: Path) -> list[tuple[str, bool, str, str]]:
    with Sandbox() as sandbox:
        result = grade_file(path, sandbox, all_checks("homework"))
    return [(o.check_id, o.passed, o.kind, o.message) for o in result.outcomes]


@pytest.mark.parametrize("name", ["no_seed.py", "overflowing_sigmoid.py", "sum_instead_of_mean.py"])
def test_the_fast_path_gives_hypothesis_own_verdicts(name: str, tmp_path: Path, without_plans: None) -> None:
    """The same messages, shrunk inputs included, whether plans are stored or searched live."""
    path = tmp_path / name
    shutil.copy(SUBMISSIONS / "demo" / name, path)
    live = _verdicts(path)
    trial.PLANS.update(plans.load(HOMEWORK).plans)
    assert trial.PLANS, "no stored plans to compare with"
    assert _verdicts(path) == live
    assert not all(passed for _, passed, _, _ in live)
