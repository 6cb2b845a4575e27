"""bce_loss(yhat, y) — mean binary cross-entropy −mean(y·log ŷ + (1−y)·log(1−ŷ)); yhat in (0,1),
y in {0,1}, same shape (n,1) or (n,); returns a 0-dim tensor; differentiable w.r.t. yhat;
finite when yhat is exactly 0 or 1."""

from __future__ import annotations

import numpy as np
import torch

from autograder.trusted import strategies as s
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said


@check("bce_loss", points=3, public=True,
       spec="−mean(y·log ŷ + (1−y)·log(1−ŷ)) ... same shape (n,1) or (n,); returns a 0-dim tensor")
def values(trial: Trial) -> None:
    """The mean loss as a 0-dim float32 tensor, for (n,1) and (n,) inputs"""
    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float32,), lo=0.01))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y)
    prop()


@check("bce_loss", points=3, public=True, spec="differentiable w.r.t. yhat")
def gradient(trial: Trial) -> None:
    """The gradient with respect to yhat matches the reference"""
    @trial.given(data=s.probabilities_and_labels(dtypes=s.FLOAT_DTYPES, lo=0.05))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_gradient(yhat, y)
    prop()


@check("bce_loss", points=2, public=False, spec="yhat in (0,1): also near 0 and 1, and in float64")
def near_the_edges(trial: Trial) -> None:
    """float64, confident predictions close to 0 and 1"""
    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float64,), lo=1e-6))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y, rtol=1e-5, atol=1e-6)
    prop()


@check("bce_loss", points=3, public=False, spec="finite when yhat is exactly 0 or 1")
def exactly_zero_or_one(trial: Trial) -> None:
    """yhat exactly 0 or 1: finite; right predictions cost nothing, wrong ones a large finite loss"""
    right = (torch.tensor([[0.0], [1.0], [0.25]]), torch.tensor([[0.0], [1.0], [1.0]]))
    for dtype in (torch.float32, torch.float64):
        yhat, y = (t.to(dtype) for t in right)
        with trial.trying(yhat=yhat, y=y):
            trial.same_output(yhat, y, rtol=1e-4, atol=1e-4)
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
                    f"bce_loss gave {float(loss)} for a confident wrong prediction (yhat exactly 0 or 1): "
                    "log(0) is -inf. Keep it finite, e.g. clamp the log at -100 as torch does.",
                    f"확신에 찬 오답(yhat이 정확히 0 또는 1)에서 bce_loss가 {float(loss)}입니다: log(0) = -inf. "
                    "torch처럼 log를 -100에서 clamp하는 등 유한하게 만드세요."),
                    detail={"got": float(loss)})


@check("bce_loss", points=1, public=False, spec="bce_loss does not modify yhat or y")
def leaves_inputs_alone(trial: Trial) -> None:
    """yhat and y are unchanged after the call (also when yhat is exactly 0 or 1)"""
    edges = (torch.tensor([[0.0], [0.3], [1.0], [1.0]]), torch.tensor([[0.0], [1.0], [1.0], [0.0]]))

    @trial.given(data=s.probabilities_and_labels(dtypes=(np.float32,), lo=0.01), examples=({"data": edges},))
    def prop(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = data
        with trial.trying(yhat=yhat, y=y):
            (_, got), _ = trial.call(yhat, y)
            trial.expect_unchanged(got, {"yhat": (yhat, "arg0_after"), "y": (y, "arg1_after")})
    prop()
