"""The comparison's hints on their own, and the class report's refusal of an empty folder. The hints
on real submissions, the feedback pages in headless Chromium and the class report are tested on the
batches of test_grading_mistakes.py and test_grading_hostile.py (no extra grading)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import run_cli

from autograder.trusted.compare import COLUMN, LONG_FLOAT, Pitfall, expect_tensor, scaled
from autograder.trusted.verdict import CheckFailed, Said

NAME = Said("The result", "결과")


def failure(got: torch.Tensor, expected: torch.Tensor, **kwargs: object) -> CheckFailed:
    with pytest.raises(CheckFailed) as raised:
        expect_tensor(NAME, {"kind": "tensor"}, got, expected, **kwargs)
    return raised.value


def test_long_where_float_is_due_gets_the_long_vs_float_hint() -> None:
    found = failure(torch.tensor([[1, 2]]), torch.tensor([[1.0, 2.0]]))
    assert (found.kind, found.hint, found.detail["pitfall"]) == ("dtype", LONG_FLOAT, "long_vs_float")
    assert found.detail["got_dtype"] == "int64" and found.detail["expected_shape"] == [1, 2]


def test_a_vector_where_a_column_is_due_gets_the_shape_hint() -> None:
    found = failure(torch.zeros(4), torch.zeros(4, 1))
    assert (found.kind, found.hint) == ("shape", COLUMN)
    assert "(4,)" in found.message("en") and "(4, 1)" in found.message("en")
    assert failure(torch.zeros(4, 4), torch.zeros(4, 1)).detail["pitfall"] == "broadcast"


def test_values_give_index_errors_and_a_matching_pitfall_only() -> None:
    expected = torch.tensor([[0.5], [1.0], [2.0]])
    n_times = Pitfall("sum_not_mean", Said("n times", "n배"), scaled(3))
    found = failure(expected * 3, expected, pitfalls=[n_times])
    assert found.detail["pitfall"] == "sum_not_mean" and found.detail["index"] == [0, 0]
    assert found.detail["max_abs_error"] == pytest.approx(4.0) and found.detail["max_rel_error"] == pytest.approx(2.0)
    assert failure(expected * 2, expected, pitfalls=[n_times]).hint is None  # 2x is not this mistake
    assert "n배" in found.message("ko") and "n times" not in found.message("ko")


def test_report_of_a_folder_without_results_says_so(tmp_path: Path) -> None:
    done = run_cli("report", str(tmp_path))
    assert done.returncode == 2 and "no results" in done.stderr and "Traceback" not in done.stderr
