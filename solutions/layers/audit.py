"""The layers assignment's audit notes: why a surviving mutant is acceptable (EXPLANATIONS, keyed by
mutant id, each naming the change it stands for), and the audit-only equivalence checks (EQUIVALENCE)
that decide whether a survivor is just the reference written differently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

from autograder.audit.equivalence import expect_identical, wide
from autograder.audit.explanations import Explanation
from autograder.trusted import strategies as s
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said, code
from solutions.layers.checks.fit import lecture_data
from solutions.layers.checks.mse_loss import same_shape

EXPLANATIONS: dict[str, Explanation] = {}  # mutant id → why its survival is fine

_KINDS = st.sampled_from(["list", "numpy", "tensor"])


def to_column(trial: Trial) -> None:
    """to_column on lists, numpy arrays and tensors of every dtype the contract names, of any length and magnitude"""
    wide(trial)

    @trial.given(values=s.tensors(dtypes=(np.float32, np.float64, np.int64, np.int32, np.uint8),
                                  shapes=s.columns(80), lo=0, hi=255) | s.tensors(
                     dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(80), lo=-1e6, hi=1e6),
                 kind=_KINDS, requires_grad=st.booleans())
    def prop(values: torch.Tensor, kind: str, requires_grad: bool) -> None:
        if kind == "list" and values.dim() == 2:
            values = values.reshape(-1)
        grad = requires_grad and kind == "tensor" and values.is_floating_point()
        expect_identical(*trial.observe("handed_over", {"as": kind, "requires_grad": grad}, {"values": values}))
    prop()
    for values in (torch.tensor([True, False, True]), torch.tensor([[1.5], [-2.25]], dtype=torch.float16)):
        for kind in ("numpy", "tensor"):
            expect_identical(*trial.observe("handed_over", {"as": kind}, {"values": values}))


def lecture_net(trial: Trial) -> None:
    """lecture_net(False) and lecture_net(True) after many different torch.manual_seed"""
    for seed in range(12):
        for bias in (False, True):
            x = torch.linspace(-3, 3, 7).reshape(-1, 1)
            inputs = x if bias else torch.cat([torch.ones_like(x), x], dim=1)
            expect_identical(*trial.observe("build", {"args": [bias], "seed": seed}, {"inputs": inputs}))


def _refusal(trial: Trial, yhat: torch.Tensor, y: torch.Tensor) -> None:
    (facts, _), (reference, _) = trial.observe_allowing_errors("call", {"args": ["a0", "a1"], "kwargs": {}},
                                                               {"a0": yhat, "a1": y})
    got, expected = (facts.get("error") or {}).get("type"), (reference.get("error") or {}).get("type")
    if got != expected:
        raise CheckFailed("different", Said(f"raised {code(got)}, the reference {code(expected)}",
                                            f"발생한 예외: {code(got)}, 정답: {code(expected)}"))


def mse_loss(trial: Trial) -> None:
    """mse_loss's values and gradient on any shape and magnitude, and the error on every kind of mismatch"""
    wide(trial)

    @trial.given(pair=same_shape(shapes=s.any_shape(), lo=-1e4, hi=1e4))
    def values(pair: tuple[torch.Tensor, torch.Tensor]) -> None:
        expect_identical(*trial.call(*pair))
    values()

    @trial.given(pair=same_shape(shapes=s.any_shape(), lo=-100, hi=100))
    def gradient(pair: tuple[torch.Tensor, torch.Tensor]) -> None:
        expect_identical(*trial.observe("grad", {"args": ["a0", "a1"], "wrt": [0, 1]},
                                        {"a0": pair[0], "a1": pair[1]}))
    gradient()

    @trial.given(a=s.any_shape(), b=s.any_shape())
    def mismatches(a: tuple[int, ...], b: tuple[int, ...]) -> None:
        _refusal(trial, torch.ones(a), torch.zeros(b))
    mismatches()


def _train(trial: Trial, bias: bool, n: int, seed: int, start: dict[str, Any], kwargs: dict[str, Any]) -> None:
    inputs, y = lecture_data(bias, n, seed)
    tensors = {**{name: torch.tensor(value) for name, value in start.items()}, "inputs": inputs, "y": y}
    expect_identical(*trial.observe("train_given", {"kwargs": kwargs, "scramble": seed}, tensors))


def fit(trial: Trial) -> None:
    """fit on both lecture nets and others, with defaults and other lr and epochs"""
    lecture = {False: {"weight": [[-5.0, 10.0]]}, True: {"weight": [[10.0]], "bias": [-5.0]}}
    for bias in (False, True):
        _train(trial, bias, 100, 61, lecture[bias], {})
    for bias, n, seed, start, kwargs in [
            (True, 15, 62, lecture[True], {"lr": 0.3, "epochs": 1}),
            (False, 70, 63, lecture[False], {"lr": 0.001, "epochs": 300}),
            (True, 33, 64, {"weight": [[-1.0]], "bias": [2.0]}, {"lr": 0.08, "epochs": 12}),
            (False, 4, 65, {"weight": [[0.25, -0.5]]}, {"epochs": 0}),
            (True, 50, 66, lecture[True], {"lr": 0.5, "epochs": 2})]:
        _train(trial, bias, n, seed, start, kwargs)


EQUIVALENCE = {"to_column": to_column, "lecture_net": lecture_net, "mse_loss": mse_loss, "fit": fit}
