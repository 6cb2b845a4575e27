"""build_X(x) — x is 1-D (n,) or a column (n,1), dtype float32, float64 or int64, n ≥ 1.
Returns the (n,2) float32 design matrix: a column of ones first, then x. Does not modify x."""

from __future__ import annotations

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial


@check("build_X", points=2, public=True,
       spec="Returns the (n,2) float32 design matrix: a column of ones first, then x.")
def lecture_example(trial: Trial) -> None:
    """The lecture's column of x values gives [1, x] rows"""
    x = torch.tensor([[-2.5], [-1.0], [0.0], [1.5], [3.0]])
    with trial.trying(x=x):
        trial.same_output(x)


@check("build_X", points=3, public=True,
       spec="x is 1-D (n,) or a column (n,1), n ≥ 1. Returns the (n,2) design matrix.")
def float32_columns_and_vectors(trial: Trial) -> None:
    """float32 x of shape (n,) and (n,1), n from 1"""
    @trial.given(x=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-100, hi=100))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            trial.same_output(x)
    prop()


@check("build_X", points=3, public=False,
       spec="x has dtype float32, float64 or int64. Returns the (n,2) **float32** design matrix.")
def other_dtypes_give_float32(trial: Trial) -> None:
    """float64 and int64 x still give a float32 matrix"""
    @trial.given(x=s.tensors(dtypes=(np.float64, np.int64), shapes=s.columns(), lo=-1000, hi=1000))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            trial.same_output(x)
    prop()


@check("build_X", points=2, public=False, spec="Does not modify x.")
def leaves_x_alone(trial: Trial) -> None:
    """x is unchanged after the call"""
    @trial.given(x=s.tensors(dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(), lo=-50, hi=50))
    def prop(x: torch.Tensor) -> None:
        with trial.trying(x=x):
            (facts, got), _ = trial.call(x)
            if facts.get("out", {}).get("kind") != "tensor":
                return  # a wrong result is another check's business
            trial.expect_unchanged(got, {"x": (x, "arg0_after")})
    prop()

