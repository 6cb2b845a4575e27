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


# The lecture's pitfalls each get their hint (tag in extra_data.feedback.detail.pitfall), on the check named.
HINTS = {
    "sum_instead_of_mean": ("bce_loss.values", "sum_not_mean"),
    "bce_sign_flip": ("bce_loss.values", "sign"),
    "bce_log_zero_nan": ("bce_loss.exactly_zero_or_one", "log_zero"),
    "overflowing_sigmoid": ("sigmoid.large_inputs", "exp_overflow"),
    "sigmoid_sign_flip": ("sigmoid.gradient", "sign"),
    "rebinding_update": ("update.one_tensor", "rebinding"),
    "update_sign_flip": ("update.one_tensor", "sign"),
    "update_no_clear_grad": ("update.clears_grad", "grad_not_cleared"),
    "logistic_no_zero_grad": ("train_logistic.defaults", "grad_not_cleared"),
    "no_seed": ("train_logistic.defaults", "seed"),
    "logistic_seed_after_linear": ("train_logistic.defaults", "seed"),
    "logistic_hardcoded_lr": ("train_logistic.other_settings", "lr_ignored"),
    "linear_hardcoded_alpha": ("train_linear.other_settings", "lr_ignored"),
    "linear_sse": ("train_linear.defaults", "sum_not_mean"),
    "build_X_float64_via_numpy": ("build_X.lecture_example", "float64"),
    "bce_shape_1": ("bce_loss.values", "not_scalar"),
    "ones_column_second": ("build_X.lecture_example", "ones_second"),
}


@pytest.mark.parametrize(("stem", "expected"), sorted(HINTS.items()), ids=sorted(HINTS))
def test_each_pitfall_gets_its_hint(batch: Batch, stem: str, expected: tuple[str, str]) -> None:
    check, pitfall = expected
    (test,) = [t for t in batch.result(stem)["tests"] if t["extra_data"]["check"] == check]
    feedback = test["extra_data"]["feedback"]
    assert test["status"] == "failed" and feedback["detail"].get("pitfall") == pitfall, feedback
    assert feedback["hint"]["en"] in test["output"] and feedback["hint"]["ko"] in test["output"]


def test_no_hint_where_no_pitfall_matches(batch: Batch) -> None:
    """A hint is only given when the answer matches the mistake: swapped arguments match none of them."""
    failed = [t for t in batch.result("bce_swapped_args")["tests"] if t["status"] == "failed"]
    assert failed and all(t["extra_data"]["feedback"]["hint"] is None for t in failed)
