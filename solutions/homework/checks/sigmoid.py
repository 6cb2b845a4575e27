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
from autograder.untrusted import probes
from solutions.homework import reference

MODERATE = {"dtypes": s.FLOAT_DTYPES, "shapes": s.any_shape(), "lo": -30.0, "hi": 30.0}
# The reference's form, shown in the hints (tests/test_hints.py runs it on the inputs the checks try).
STABLE_CODE = ("e = torch.exp(torch.where(u >= 0, -u, u)); "
               "s = torch.where(u >= 0, 1 / (1 + e), e / (1 + e))")
WHERE_RAW_CODE = "torch.where(u >= 0, 1 / (1 + torch.exp(-u)), torch.exp(u) / (1 + torch.exp(u)))"
OVERFLOW = Said(f"exp(u)/(1+exp(u)) overflows: exp(100) is inf in float32 (exp(1e4) in float64) and inf/inf is "
                f"NaN. Take exp of a number that is never positive, then choose the formula: `{STABLE_CODE}`. "
                f"A torch.where over the two formulas (`{WHERE_RAW_CODE}`) is not enough: torch.where computes "
                "both of them for every u, so the values are right but the gradient is NaN at large |u|.",
                f"`exp(u)/(1+exp(u))`는 오버플로됩니다: float32에서 exp(100)은 inf이고(float64는 exp(1e4)), "
                f"inf/inf는 NaN입니다. 양수가 아닌 수에만 exp를 계산한 뒤 식을 고르세요: `{STABLE_CODE}`. "
                f"두 식을 그대로 torch.where로 고르는 것(`{WHERE_RAW_CODE}`)으로는 부족합니다: "
                "torch.where는 모든 u에서 "
                "두 식을 다 계산하므로, 값은 맞아도 |u|가 클 때 기울기가 NaN이 됩니다.")
WHERE_RAW = Said(f"The values are right but the gradient is NaN at large |u|: torch.where computes both formulas for "
                 "every u, so exp(u) (or exp(-u)) still overflows in the branch that is not chosen, and its gradient "
                 "(0 * inf) is NaN and flows back through torch.where. Take exp of a number that is never positive, "
                 f"then choose: `{STABLE_CODE}`.",
                 "값은 맞지만 |u|가 클 때 기울기가 NaN입니다: torch.where는 모든 u에서 두 식을 다 계산하므로, 고르지 "
                 "않은 쪽 식에서도 exp(u)(또는 exp(-u))가 오버플로되고, 그 기울기(0 * inf)가 NaN이 되어 torch.where를 "
                 f"거쳐 입력까지 흘러갑니다. 양수가 아닌 수에만 exp를 계산한 뒤 식을 고르세요: `{STABLE_CODE}`.")
ONE_OVER = Said("The values are right but the gradient is NaN for very negative u: exp(-u) overflows to inf there, "
                "and although 1/(1+inf) is 0, its gradient multiplies 0 by inf, which is NaN. Take exp of a number "
                f"that is never positive, then choose the formula: `{STABLE_CODE}`.",
                "값은 맞지만 u가 절댓값이 아주 큰 음수일 때 기울기가 NaN입니다: 그때 exp(-u)가 inf로 오버플로되고, "
                "1/(1+inf)는 0이지만 그 기울기는 0과 inf를 곱하므로 NaN이 됩니다. 양수가 아닌 수에만 exp를 계산한 뒤 "
                f"식을 고르세요: `{STABLE_CODE}`.")
SIGN = Said("This is sigmoid(-u): the exponent is -u, so sigmoid(u) = 1/(1+exp(-u)).",
            "sigmoid(-u)를 계산했습니다: e의 지수는 -u이므로 `sigmoid(u) = 1/(1+exp(-u))`입니다.")


def where_over_raw_formulas(u: torch.Tensor) -> torch.Tensor:
    """The mistaken fix: torch.where over the two raw formulas (right values, NaN gradient at large |u|)."""
    return torch.where(u >= 0, 1 / (1 + torch.exp(-u)), torch.exp(u) / (1 + torch.exp(u)))


def pitfalls(u: torch.Tensor) -> list[Pitfall]:
    """The lecture's two sigmoid mistakes, reproduced on the input the check tried."""
    return [Pitfall("exp_overflow", OVERFLOW, resembles(lambda: torch.exp(u) / (1 + torch.exp(u)))),
            Pitfall("sign", SIGN, resembles(lambda: reference.sigmoid(-u)))]


def gradient_pitfalls(u: torch.Tensor) -> list[Pitfall]:
    """The gradient of torch.where over the two raw formulas, reproduced with the probe's own weights."""
    def variant() -> torch.Tensor:
        return probes.grad(where_over_raw_formulas, {"a0": u}, {"args": ["a0"], "wrt": [0]})[1]["grad0"]
    def one_over() -> torch.Tensor:
        return probes.grad(lambda v: 1 / (1 + torch.exp(-v)), {"a0": u}, {"args": ["a0"], "wrt": [0]})[1]["grad0"]
    return [Pitfall("where_raw_gradient", WHERE_RAW, resembles(variant)),
            Pitfall("one_over_gradient", ONE_OVER, resembles(one_over))]


@check("sigmoid", points=3, public=True,
       title_ko="모든 모양의 float32, float64 입력에서 값, 모양, dtype이 맞는지",
       spec=("The elementwise sigmoid 1/(1+e^(-u)).",
             "u: any shape, dtype float32 or float64; the result has the same shape and dtype."))
def values(trial: Trial) -> None:
    """Values, shape and dtype on float32 and float64 inputs of any shape"""
    @trial.given(u=s.tensors(**MODERATE))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))
    prop()


@check("sigmoid", points=3, public=True,
       title_ko="sigmoid의 기울기가 `sigmoid(u)*(1-sigmoid(u))`와 같은지",
       spec="It must be differentiable and never give nan for a finite input (|u| up to 1e4).")
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


@check("sigmoid", points=2, public=False,
       title_ko="u = ±100: 유한하고 양 끝에서 0과 1인지 (float32에서 exp(100)은 오버플로)",
       spec="It must be differentiable and never give nan for a finite input (|u| up to 1e4).")
def large_inputs(trial: Trial) -> None:
    """u = ±100: finite, 0 and 1 at the ends (exp(100) overflows float32)"""
    for u in _edge_inputs(100.0):
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))


@check("sigmoid", points=2, public=False,
       title_ko="u = ±1e4: 유한하고 양 끝에서 0과 1인지 (float64에서도 exp(1e4)는 오버플로)",
       spec="It must be differentiable and never give nan for a finite input (|u| up to 1e4).")
def huge_inputs(trial: Trial) -> None:
    """u = ±1e4: finite, 0 and 1 at the ends (exp(1e4) overflows float64 too)"""
    for u in _edge_inputs(1e4):
        with trial.trying(u=u):
            trial.same_output(u, pitfalls=pitfalls(u))


@check("sigmoid", points=2, public=False,
       title_ko="u = ±100(float32), ±1e4(float64)에서 기울기가 정답과 같은지 (NaN 없이)",
       spec="It must be differentiable and never give nan for a finite input (|u| up to 1e4).")
def large_input_gradient(trial: Trial) -> None:
    """The gradient at u = ±100 (float32) and ±1e4 (float64) is finite and matches the reference"""
    for magnitude, dtype in ((100.0, torch.float32), (1e4, torch.float64)):
        u = torch.tensor([-magnitude, -magnitude / 2, 0.0, magnitude / 2, magnitude], dtype=dtype)
        with trial.trying(u=u):
            trial.same_gradient(u, pitfalls=pitfalls(u), grad_pitfalls=gradient_pitfalls(u))


@check("sigmoid", points=1, public=False,
       title_ko="호출 뒤에도 u가 그대로인지",
       spec="Do not modify u.", side_effect=True)
def leaves_u_alone(trial: Trial) -> None:
    """u is unchanged after the call"""
    @trial.given(u=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-5, hi=5))
    def prop(u: torch.Tensor) -> None:
        with trial.trying(u=u):
            student, reference = trial.call(u)
            trial.right_first(lambda: trial.expect_same_result(student, reference))
            trial.expect_unchanged(student[1], {"u": (u, "arg0_after")})
    prop()
