"""sigmoid(u) — elementwise 1/(1+e^−u); any shape; float32 or float64 in, same shape and dtype
out; differentiable (autograd flows through it); never NaN for a finite input (|u| up to 1e4)."""

from __future__ import annotations

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.compare import Pitfall, resembles, scaled
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import Said
from solutions.homework import reference

MODERATE = {"dtypes": s.FLOAT_DTYPES, "shapes": s.any_shape(), "lo": -30.0, "hi": 30.0}
OVERFLOW = Said("exp(u)/(1+exp(u)) overflows: exp(100) is inf in float32 (exp(1e4) in float64) and inf/inf is "
                "NaN. Use 1/(1+exp(-u)) for u >= 0 and exp(u)/(1+exp(u)) for u < 0 (torch.where), so only "
                "exp of a non-positive number is ever computed.",
                "exp(u)/(1+exp(u))는 오버플로됩니다: float32에서 exp(100)은 inf (float64는 exp(1e4))이고 inf/inf는 "
                "NaN입니다. u >= 0이면 1/(1+exp(-u)), u < 0이면 exp(u)/(1+exp(u))를 쓰세요 (torch.where). "
                "그러면 항상 0 이하의 수에만 exp를 계산합니다.")
SIGN = Said("This is sigmoid(-u): the exponent is e^(-u), so sigmoid(u) = 1/(1+exp(-u)).",
            "sigmoid(-u)를 계산했습니다: 지수는 e^(-u)이므로 sigmoid(u) = 1/(1+exp(-u))입니다.")


def pitfalls(u: torch.Tensor) -> list[Pitfall]:
    """The lecture's two sigmoid mistakes, reproduced on the input the check tried."""
    return [Pitfall("exp_overflow", OVERFLOW, resembles(lambda: torch.exp(u) / (1 + torch.exp(u)))),
            Pitfall("sign", SIGN, resembles(lambda: reference.sigmoid(-u)))]


@check("sigmoid", points=3, public=True,
       title_ko="모든 모양의 float32, float64 입력에서 값, 모양, dtype이 맞는지",
       spec="elementwise 1/(1+e^−u); any shape; float32 or float64 in, same shape and dtype out")
def values(trial: Trial) -> None:
    """Values, shape and dtype on float32 and float64 inputs of any shape"""
    @trial.given(u=s.tensors(**MODERATE))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))
    prop()


@check("sigmoid", points=3, public=True, title_ko="sigmoid의 기울기가 `sigmoid(u)*(1-sigmoid(u))`와 같은지",
       spec="differentiable (autograd flows through it)")
def gradient(trial: Trial) -> None:
    """The gradient through sigmoid matches sigmoid(u)*(1-sigmoid(u))"""
    @trial.given(u=s.tensors(dtypes=s.FLOAT_DTYPES, shapes=s.columns(), lo=-10, hi=10))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            trial.same_gradient(u, pitfalls=pitfalls(u), grad_pitfalls=[Pitfall("sign", SIGN, scaled(-1))])
    prop()


def _edge_inputs(magnitude: float) -> list[torch.Tensor]:
    u = [-magnitude, -magnitude / 2, 0.0, magnitude / 2, magnitude]
    return [torch.tensor(u, dtype=dtype) for dtype in (torch.float32, torch.float64)]


@check("sigmoid", points=2, public=False, title_ko="u = ±100: 유한하고 양 끝에서 0과 1인지 (float32에서 exp(100)은 오버플로)",
       spec="never NaN for a finite input: ±100 in float32/float64")
def large_inputs(trial: Trial) -> None:
    """u = ±100: finite, 0 and 1 at the ends (exp(100) overflows float32)"""
    for u in _edge_inputs(100.0):
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))


@check("sigmoid", points=2, public=False, title_ko="u = ±1e4: 유한하고 양 끝에서 0과 1인지 (float64에서도 exp(1e4)는 오버플로)",
       spec="never NaN for a finite input (|u| up to 1e4)")
def huge_inputs(trial: Trial) -> None:
    """u = ±1e4: finite, 0 and 1 at the ends (exp(1e4) overflows float64 too)"""
    for u in _edge_inputs(1e4):
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))


@check("sigmoid", points=1, public=False, title_ko="호출 뒤에도 u가 그대로인지",
       spec="sigmoid does not modify its input")
def leaves_u_alone(trial: Trial) -> None:
    """u is unchanged after the call"""
    @trial.given(u=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-5, hi=5))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            (_, got), _ = trial.call(u)
            trial.expect_unchanged(got, {"u": (u, "arg0_after")})
    prop()
