"""sigmoid(u) — elementwise 1/(1+e^−u); any shape; float32 or float64 in, same shape and dtype
out; differentiable (autograd flows through it); never NaN for a finite input (|u| up to 1e4)."""

from __future__ import annotations

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial

MODERATE = {"dtypes": s.FLOAT_DTYPES, "shapes": s.any_shape(), "lo": -30.0, "hi": 30.0}


@check("sigmoid", points=3, public=True,
       spec="elementwise 1/(1+e^−u); any shape; float32 or float64 in, same shape and dtype out")
def values(trial: Trial) -> None:
    """Values, shape and dtype on float32 and float64 inputs of any shape"""
    @trial.given(u=s.tensors(**MODERATE))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            trial.same_output(u)
    prop()


@check("sigmoid", points=3, public=True, spec="differentiable (autograd flows through it)")
def gradient(trial: Trial) -> None:
    """The gradient through sigmoid matches sigmoid(u)*(1-sigmoid(u))"""
    @trial.given(u=s.tensors(dtypes=s.FLOAT_DTYPES, shapes=s.columns(), lo=-10, hi=10))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            trial.same_gradient(u)
    prop()


def _edge_inputs(magnitude: float) -> list[torch.Tensor]:
    u = [-magnitude, -magnitude / 2, 0.0, magnitude / 2, magnitude]
    return [torch.tensor(u, dtype=dtype) for dtype in (torch.float32, torch.float64)]


@check("sigmoid", points=2, public=False, spec="never NaN for a finite input: ±100 in float32/float64")
def large_inputs(trial: Trial) -> None:
    """u = ±100: finite, 0 and 1 at the ends (exp(100) overflows float32)"""
    for u in _edge_inputs(100.0):
        with trial.trying(u=u):
            trial.same_output(u)


@check("sigmoid", points=2, public=False, spec="never NaN for a finite input (|u| up to 1e4)")
def huge_inputs(trial: Trial) -> None:
    """u = ±1e4: finite, 0 and 1 at the ends (exp(1e4) overflows float64 too)"""
    for u in _edge_inputs(1e4):
        with trial.trying(u=u):
            trial.same_output(u)


@check("sigmoid", points=1, public=False, spec="sigmoid does not modify its input")
def leaves_u_alone(trial: Trial) -> None:
    """u is unchanged after the call"""
    @trial.given(u=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-5, hi=5))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            (_, got), _ = trial.call(u)
            trial.expect_unchanged(got, {"u": (u, "arg0_after")})
    prop()
