"""build_X(x) — x is 1-D (n,) or a column (n,1), dtype float32, float64 or int64, n ≥ 1.
Returns the (n,2) float32 design matrix: a column of ones first, then x. Does not modify x."""

from __future__ import annotations

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.compare import Pitfall, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import Said

# Shown in the hint; tests/test_hints.py runs it on the inputs the checks try, (n,) and (n,1), any dtype.
ONES_FIRST_CODE = "column = x.reshape(-1, 1).float(); X = torch.cat([torch.ones_like(column), column], dim=1)"
ONES_SECOND = Said("The columns are swapped: the column of ones comes first, X = [1, x], so that X @ What = w0 + w1*x. "
                   f"Make x a float column first, then put the ones before it: `{ONES_FIRST_CODE}` "
                   "(torch.cat is the lecture's torch.concat).",
                   "열 순서가 바뀌었습니다: 1로 된 열이 먼저 와야 합니다(X = [1, x]). "
                   "그래야 `X @ What = w0 + w1*x`입니다. "
                   f"먼저 x를 float 열 벡터로 만든 다음 1로 된 열을 앞에 붙이세요: `{ONES_FIRST_CODE}` "
                   "(torch.cat은 강의의 torch.concat과 같은 함수입니다).")


def pitfalls(x: torch.Tensor) -> list[Pitfall]:
    def swapped() -> torch.Tensor:
        column = x.reshape(-1, 1).float()
        return torch.cat([column, torch.ones_like(column)], dim=1)
    return [Pitfall("ones_second", ONES_SECOND, resembles(swapped))]


@check("build_X", points=2, public=True,
       title_ko="강의의 x 열 벡터로 [1, x] 행을 만드는지",
       spec=("Build the (n,2) design matrix X: a column of ones first, then x.",
             "Returns: a new (n,2) float32 tensor; the first column is all ones, the second is x."))
def lecture_example(trial: Trial) -> None:
    """The lecture's column of x values gives [1, x] rows"""
    x = torch.tensor([[-2.5], [-1.0], [0.0], [1.5], [3.0]])
    with trial.trying(x=x):
        trial.same_output(x, pitfalls=pitfalls(x))


@check("build_X", points=3, public=True,
       title_ko="모양이 (n,)와 (n,1)인 float32 x (n은 1부터)",
       spec=("Build the (n,2) design matrix X: a column of ones first, then x.",
             "x: shape (n,) or (n,1), dtype float32, float64 or int64, n >= 1."))
def float32_columns_and_vectors(trial: Trial) -> None:
    """float32 x of shape (n,) and (n,1), n from 1"""
    @trial.given(x=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-100, hi=100))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            trial.same_output(x, pitfalls=pitfalls(x))
    prop()


@check("build_X", points=3, public=False,
       title_ko="float64와 int64 x도 float32 행렬이 되는지",
       spec=("x: shape (n,) or (n,1), dtype float32, float64 or int64, n >= 1.",
             "Returns: a new (n,2) float32 tensor; the first column is all ones, the second is x."))
def other_dtypes_give_float32(trial: Trial) -> None:
    """float64 and int64 x still give a float32 matrix"""
    @trial.given(x=s.tensors(dtypes=(np.float64, np.int64), shapes=s.columns(), lo=-1000, hi=1000))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            trial.same_output(x, pitfalls=pitfalls(x))
    prop()


@check("build_X", points=2, public=False, title_ko="호출 뒤에도 x가 그대로인지",
       spec="Do not modify x.", side_effect=True)
def leaves_x_alone(trial: Trial) -> None:
    """x is unchanged after the call"""
    @trial.given(x=s.tensors(dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(), lo=-50, hi=50))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            student, reference = trial.call(x)
            trial.right_first(lambda: trial.expect_same_result(student, reference))
            trial.expect_unchanged(student[1], {"x": (x, "arg0_after")})
    prop()

