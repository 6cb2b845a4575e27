"""bce_loss(yhat, y) — mean binary cross-entropy −mean(y·log ŷ + (1−y)·log(1−ŷ)); yhat in (0,1),
y in {0,1}, same shape (n,1) or (n,); returns a 0-dim tensor; differentiable w.r.t. yhat;
finite when yhat is exactly 0 or 1."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.compare import SIGN, Pitfall, scaled
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said

# Shown in the hint; tests/test_hints.py runs it on the inputs the checks try (yhat exactly 0 and 1 included).
CLAMPED_CODE = ("log_p = torch.clamp(torch.log(yhat), min=-100); "
                "log_q = torch.clamp(torch.log(1 - yhat), min=-100); "
                "loss = -torch.mean(y * log_p + (1 - y) * log_q)")
LOG_ZERO = Said("log(0) is -inf, and 0 * log(0) is NaN. Clamp both logs at -100, as torch's BCELoss does: log(yhat) "
                f"for yhat = 0 and log(1 - yhat) for yhat = 1: `{CLAMPED_CODE}`.",
                "log(0)은 -inf이고 0 * log(0)은 NaN입니다. torch의 BCELoss처럼 두 log를 모두 -100 아래로 내려가지 "
                "않게 clamp하세요(yhat = 0이면 log(yhat), yhat = 1이면 log(1 - yhat)이 문제입니다): "
                f"`{CLAMPED_CODE}`.")


def pitfalls(yhat: torch.Tensor) -> list[Pitfall]:
    """Sum instead of mean (n times too large), a missing minus, log(0)."""
    n = yhat.numel()
    mean = Said(f"The loss is {n} times too large: that is the sum over the {n} samples. BCE is the mean "
                "(torch.mean), so the step size does not grow with the data set.",
                f"loss가 {n}배 큽니다: {n}개 샘플의 합(sum)을 구했습니다. BCE는 평균(torch.mean)입니다. 평균이어야 "
                "데이터가 많아져도 경사하강법의 한 걸음이 커지지 않습니다.")
    return [Pitfall("sum_not_mean", mean, scaled(n)), Pitfall("sign", SIGN, scaled(-1)),
            Pitfall("log_zero", LOG_ZERO, lambda got, expected: not bool(torch.isfinite(got).all()))]


@check("bce_loss", points=3, public=True,
       title_ko="(n,1)과 (n,) 입력에서 평균 loss를 0차원 float32 텐서로 돌려주는지",
       spec=("Mean binary cross-entropy: -mean(y*log(yhat) + (1-y)*log(1-yhat)).",
             "yhat: probabilities in (0,1); y: labels in {0,1}; both of the same shape, (n,1) or (n,).",
             "Returns: a 0-dim tensor, differentiable with respect to yhat."))
def values(trial: Trial) -> None:
    """The mean loss as a 0-dim float32 tensor, for (n,1) and (n,) inputs"""
    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float32,), lo=0.01))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y, pitfalls=pitfalls(yhat))
    prop()


@check("bce_loss", points=3, public=True,
       title_ko="yhat에 대한 기울기가 정답과 같은지",
       spec="Returns: a 0-dim tensor, differentiable with respect to yhat.")
def gradient(trial: Trial) -> None:
    """The gradient with respect to yhat matches the reference"""
    @trial.given(data=s.probabilities_and_labels(dtypes=s.FLOAT_DTYPES, lo=0.05))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_gradient(yhat, y, pitfalls=pitfalls(yhat), grad_pitfalls=pitfalls(yhat))
    prop()


@check("bce_loss", points=2, public=False,
       title_ko="float64, 0이나 1에 아주 가까운 확신에 찬 예측",
       spec=("Mean binary cross-entropy: -mean(y*log(yhat) + (1-y)*log(1-yhat)).",
             "yhat: probabilities in (0,1); y: labels in {0,1}; both of the same shape, (n,1) or (n,)."))
def near_the_edges(trial: Trial) -> None:
    """float64, confident predictions close to 0 and 1"""
    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float64,), lo=1e-6))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y, rtol=1e-5, atol=1e-6, pitfalls=pitfalls(yhat))
    prop()


@check("bce_loss", points=3, public=False,
       title_ko="yhat이 정확히 0 또는 1일 때: 유한하고, 맞은 예측은 loss 0, 틀린 예측은 크지만 유한한 loss",
       spec="The result must stay finite when yhat is exactly 0 or 1.")
def exactly_zero_or_one(trial: Trial) -> None:
    """yhat exactly 0 or 1: finite; right predictions cost nothing, wrong ones a large finite loss"""
    right = (torch.tensor([[0.0], [1.0], [0.25]]), torch.tensor([[0.0], [1.0], [1.0]]))
    for dtype in (torch.float32, torch.float64):
        yhat, y = (t.to(dtype) for t in right)
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y, rtol=1e-4, atol=1e-4, pitfalls=pitfalls(yhat))
    for yhat, y in [(torch.tensor([0.0, 0.5]), torch.tensor([1.0, 1.0])),
                    (torch.tensor([1.0, 0.5]), torch.tensor([0.0, 0.0]))]:
        with trial.trying(yhat=yhat, y=y):
            (facts, got), _ = trial.call(yhat, y)
            loss = got.get("out")
            if facts.get("out", {}).get("kind") != "tensor" or loss is None or loss.numel() != 1:
                trial.same_output(yhat, y)  # says precisely what is wrong with the result
                continue
            if not bool(torch.isfinite(loss).all()) or float(loss) <= 1:
                raise CheckFailed("nan", Said(
                    f"bce_loss gave {float(loss)} for a confident wrong prediction (yhat exactly 0 or 1); "
                    "it should be large and finite.",
                    f"확신에 찬 오답(yhat이 정확히 0 또는 1)에서 bce_loss 함수의 결과가 {float(loss)}입니다. "
                    "크지만 유한한 값이어야 합니다."),
                    detail={"got": float(loss), "pitfall": "log_zero"}, hint=LOG_ZERO)


@check("bce_loss", points=1, public=False,
       title_ko="호출 뒤에도 yhat과 y가 그대로인지 (yhat이 정확히 0이나 1일 때도)",
       spec="Do not modify yhat or y.", side_effect=True)
def leaves_inputs_alone(trial: Trial) -> None:
    """yhat and y are unchanged after the call (also when yhat is exactly 0 or 1)"""
    edges = (torch.tensor([[0.0], [0.3], [1.0], [1.0]]), torch.tensor([[0.0], [1.0], [1.0], [0.0]]))

    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float32,), lo=0.01), examples=({"data": edges},))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            student, reference = trial.call(yhat, y)
            if bool(((yhat > 0) & (yhat < 1)).all()):
                trial.right_first(lambda: trial.expect_same_result(student, reference, rtol=1e-5, atol=1e-6))
            else:  # at exactly 0 or 1 the spec asks for a large finite loss, not torch's number
                trial.right_first(lambda: _expect_finite_loss(student))
            trial.expect_unchanged(student[1], {"yhat": (yhat, "arg0_after"), "y": (y, "arg1_after")})
    prop()


def _expect_finite_loss(student: tuple[dict[str, Any], dict[str, torch.Tensor]]) -> None:
    """A finite 0-dim tensor (at yhat exactly 0 or 1, where the value itself is the edge check's business)."""
    facts, got = student
    loss = got.get("out")
    if facts.get("out", {}).get("kind") != "tensor" or loss is None or loss.dim() != 0 or not bool(
            torch.isfinite(loss)):
        raise CheckFailed("values", Said("bce_loss did not return a finite 0-dim tensor.",
                                         "bce_loss 함수가 유한한 0차원 텐서를 반환하지 않았습니다."))
