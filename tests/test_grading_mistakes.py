"""Typical mistakes of the lecture lose points on exactly the function that is wrong, and every
check of the registry is failed by at least one of them while the other functions keep full marks."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, Batch, assert_graded_as_expected, chromium, entries, feedback_pages, run_cli

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
    "sum_instead_of_mean": ("homework/bce_loss.values", "sum_not_mean"),
    "bce_sign_flip": ("homework/bce_loss.values", "sign"),
    "bce_log_zero_nan": ("homework/bce_loss.exactly_zero_or_one", "log_zero"),
    "overflowing_sigmoid": ("homework/sigmoid.large_inputs", "exp_overflow"),
    "sigmoid_where_raw": ("homework/sigmoid.large_input_gradient", "where_raw_gradient"),
    "sigmoid_one_over_nan_grad": ("homework/sigmoid.large_input_gradient", "one_over_gradient"),
    "sigmoid_sign_flip": ("homework/sigmoid.gradient", "sign"),
    "sigmoid_abs_zero_gradient": ("homework/sigmoid.gradient", "zero_gradient"),
    "rebinding_update": ("homework/update.one_tensor", "rebinding"),
    "update_sign_flip": ("homework/update.one_tensor", "sign"),
    "update_no_clear_grad": ("homework/update.clears_grad", "grad_not_cleared"),
    "logistic_no_zero_grad": ("homework/train_logistic.defaults", "grad_not_cleared"),
    "no_seed": ("homework/train_logistic.defaults", "seed"),
    "logistic_seed_after_linear": ("homework/train_logistic.defaults", "seed"),
    "logistic_hardcoded_lr": ("homework/train_logistic.other_settings", "lr_ignored"),
    "logistic_no_seed": ("homework/train_logistic.other_settings", "seed"),
    "logistic_seed_42": ("homework/train_logistic.defaults", "seed_42"),
    "linear_hardcoded_alpha": ("homework/train_linear.other_settings", "lr_ignored"),
    "linear_sse": ("homework/train_linear.defaults", "sum_not_mean"),
    "build_X_float64_via_numpy": ("homework/build_X.lecture_example", "float64"),
    "bce_shape_1": ("homework/bce_loss.values", "not_scalar"),
    "ones_column_second": ("homework/build_X.lecture_example", "ones_second"),
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


def test_feedback_pages_explain_and_render(batch: Batch, tmp_path: Path) -> None:
    """Each failure with its numbers and hint, the plots beside it; in Chromium the hint box is on screen."""
    pages = feedback_pages(batch, ["sum_instead_of_mean", "no_seed"], tmp_path)
    markdown = (pages / "sum_instead_of_mean.md").read_text(encoding="utf-8")
    assert "times too large" in markdown and "배 큽니다" in markdown and "max abs error" in markdown
    page = (pages / "no_seed.html").read_text(encoding="utf-8")
    assert "torch.manual_seed(seed)" in page and 'id="plots"' in page
    assert (pages / "no_seed.png").read_bytes()[:4] == b"\x89PNG"
    shot = tmp_path / "page.png"
    chromium(f"--screenshot={shot}", "--window-size=1000,3200", (pages / "sum_instead_of_mean.html").as_uri())
    from PIL import Image

    pixels = Image.open(shot).convert("RGB")
    colours = {pixels.getpixel((x, y)) for x in range(0, 1000, 4) for y in range(0, 3200, 4)}
    assert (255, 248, 197) in colours  # the hint's yellow box
    assert (255, 248, 248) in colours  # a failure's pink section


def test_feedback_in_one_language_and_deterministic(batch: Batch, tmp_path: Path) -> None:
    korean = feedback_pages(batch, ["sum_instead_of_mean"], tmp_path / "ko", "--lang", "ko")
    page = (korean / "sum_instead_of_mean.html").read_text(encoding="utf-8")
    assert "배 큽니다" in page and "times too large" not in page and 'lang="ko"' in page
    from autograder.trusted.feedback import write_feedback

    again = write_feedback(batch.result("sum_instead_of_mean"), tmp_path / "again", "sum_instead_of_mean", "ko")
    assert [p.read_bytes() for p in again] == [(korean / p.name).read_bytes() for p in again]


def test_class_report_counts_what_the_results_say(batch: Batch, tmp_path: Path) -> None:
    done = run_cli("report", str(batch.out), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    reasons, passed, graded = Counter(), Counter(), Counter()
    for path in sorted(batch.out.glob("*.json")):
        seen = set()
        for test in batch.result(path.stem)["tests"]:
            check = test["extra_data"]["check"]
            graded[check] += 1
            passed[check] += test["status"] == "passed"
            if test["status"] != "passed":
                reason = test["extra_data"]["feedback"]["detail"].get("pitfall") or test["extra_data"]["kind"]
                seen.add((test["tags"][0], reason))
        reasons.update(seen)
    with open(tmp_path / "reasons.csv", encoding="utf-8") as table:
        written = {(row["function"], row["reason"]): int(row["count"]) for row in csv.DictReader(table)}
    assert written == dict(reasons) and written[("bce_loss", "sum_not_mean")] >= 2
    with open(tmp_path / "checks.csv", encoding="utf-8") as table:
        rates = {row["check"]: float(row["pass_rate"]) for row in csv.DictReader(table)}
    assert rates == {c: round(passed[c] / graded[c], 3) for c in graded}
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="histogram"' in page and "sum instead of mean" in page
