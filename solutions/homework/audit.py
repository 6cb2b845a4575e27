"""The homework's audit notes: why a surviving mutant is acceptable (EXPLANATIONS, keyed by mutant
id, each naming the change it stands for), and the audit-only equivalence checks (EQUIVALENCE)
that decide whether a survivor is just the reference written differently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

from assignments.homework.data import classification_data, regression_data
from autograder.audit.equivalence import expect_identical, wide
from autograder.audit.explanations import Explanation
from autograder.trusted import strategies as s
from autograder.trusted.trial import Trial
from solutions.homework.checks.update import leaves

EXPLANATIONS: dict[str, Explanation] = {}  # mutant id → why its survival is fine

_CLAMP = ("The clamp only acts where log ŷ < −100, i.e. ŷ < 4e-44: below float32's normal range, so in practice "
          "only at ŷ exactly 0 or 1. There the spec asks for a finite loss, not for torch's −100 (check "
          "bce_loss.exactly_zero_or_one wants a large finite loss): clamping at −101, or at any other large "
          "value, is a right answer on purpose.")

EXPLANATIONS.update({
    "bce_loss.constant.0": Explanation(
        "`100` → `101` in `log_p = torch.clamp(torch.log(yhat), min=-100)`", _CLAMP),
    "bce_loss.constant.2": Explanation(
        "`100` → `101` in `log_q = torch.clamp(torch.log(1 - yhat), min=-100)`", _CLAMP),
})


def build_X(trial: Trial) -> None:
    """build_X on int64, float32 and float64 columns and vectors of any length and magnitude"""
    wide(trial)

    @trial.given(x=s.tensors(dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(60), lo=-1e6, hi=1e6))
    def prop(x: torch.Tensor) -> None:
        expect_identical(*trial.call(x))
    prop()


def update(trial: Trial) -> None:
    """update on one tensor, lists and generators of float32/float64 leaves, any alpha"""
    wide(trial)

    @trial.given(pairs=leaves(count=st.integers(1, 4), dtypes=(np.float32, np.float64)),
                 alpha=st.floats(1e-4, 10.0), container=st.sampled_from(["tensor", "list", "generator"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        pairs = pairs[:1] if container == "tensor" else pairs
        tensors = {}
        for i, (value, grad) in enumerate(pairs):
            tensors[f"p{i}"], tensors[f"g{i}"] = value, grad
        expect_identical(*trial.observe("step_in_place", {"container": container, "count": len(pairs), "alpha": alpha},
                                        tensors))
    prop()
    linear = {"p0": torch.tensor([[0.5, -1.5]]), "g0": torch.tensor([[0.25, 2.0]]),
              "p1": torch.tensor([0.3]), "g1": torch.tensor([-1.0])}
    expect_identical(*trial.observe("step_in_place", {"container": "linear", "count": 2, "alpha": 0.1}, linear))


_SIGMOID_EDGES = [0.0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 1.0, -1.0, 30.0, -30.0, 100.0, -100.0, 1e4, -1e4]


def sigmoid(trial: Trial) -> None:
    """sigmoid's values on |u| up to 1e4 (zero and the overflow edges included), and its gradient"""
    wide(trial)
    edges = tuple({"u": torch.tensor(_SIGMOID_EDGES, dtype=dtype)} for dtype in (torch.float32, torch.float64))

    @trial.given(u=s.tensors(dtypes=s.FLOAT_DTYPES, shapes=s.any_shape(), lo=-1e4, hi=1e4), examples=edges)
    def values(u: torch.Tensor) -> None:
        expect_identical(*trial.call(u))
    values()

    @trial.given(u=s.tensors(dtypes=s.FLOAT_DTYPES, shapes=s.columns(), lo=-60, hi=60), examples=edges)
    def gradient(u: torch.Tensor) -> None:
        expect_identical(*trial.observe("grad", {"args": ["a0"], "wrt": [0]}, {"a0": u}))
    gradient()


def bce_loss(trial: Trial) -> None:
    """bce_loss's values and gradient for yhat from 1e-7 to 1 - 1e-7, and at exactly 0 and 1"""
    wide(trial)
    for dtype in (torch.float32, torch.float64):
        yhat = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5], dtype=dtype)
        y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=dtype)
        for shape in ((5,), (5, 1)):
            expect_identical(*trial.call(yhat.reshape(shape), y.reshape(shape)))

    @trial.given(data=s.probabilities_and_labels(dtypes=s.FLOAT_DTYPES, lo=1e-7))
    def values(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        expect_identical(*trial.call(*data))
    values()

    @trial.given(data=s.probabilities_and_labels(dtypes=s.FLOAT_DTYPES, lo=1e-4))
    def gradient(data: tuple[torch.Tensor, torch.Tensor]) -> None:
        expect_identical(*trial.observe("grad", {"args": ["a0", "a1"], "wrt": [0]}, {"a0": data[0], "a1": data[1]}))
    gradient()


def _train(trial: Trial, x: torch.Tensor, y: torch.Tensor, kwargs: dict[str, Any], scramble: int) -> None:
    expect_identical(*trial.observe("train", {"kwargs": kwargs, "scramble": scramble}, {"x": x, "y": y}))


def train_logistic(trial: Trial) -> None:
    """train_logistic on the homework's data and others, with defaults and other lr, epochs and seeds"""
    _train(trial, *classification_data(), {}, 1)
    for data_seed, n, kwargs, scramble in [(31, 20, {"lr": 0.3, "epochs": 1, "seed": 0}, 5),
                                           (32, 80, {"lr": 0.01, "epochs": 200}, 17),
                                           (33, 45, {"lr": 2.0, "epochs": 10, "seed": 99}, 3),
                                           (34, 5, {"epochs": 0, "seed": 5}, 8)]:
        _train(trial, *classification_data(n=n, seed=data_seed), kwargs, scramble)


def train_linear(trial: Trial) -> None:
    """train_linear on the homework's data and others, with defaults and other alpha and epochs"""
    _train(trial, *regression_data(), {}, 1)
    for data_seed, n, kwargs, scramble in [(41, 15, {"alpha": 0.3, "epochs": 1}, 5),
                                           (42, 70, {"alpha": 0.001, "epochs": 300}, 17),
                                           (43, 33, {"alpha": 0.08, "epochs": 12}, 3),
                                           (44, 4, {"epochs": 0}, 8)]:
        _train(trial, *regression_data(n=n, seed=data_seed), kwargs, scramble)


EQUIVALENCE = {"build_X": build_X, "update": update, "sigmoid": sigmoid, "bce_loss": bce_loss,
               "train_logistic": train_logistic, "train_linear": train_linear}
