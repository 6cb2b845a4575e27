"""Is a surviving mutant just the reference written differently? Checks that only the audit runs.

A mutant the grading checks do not catch is either a gap in the checks or equivalent to the
reference (`u > 0` for `u >= 0` in sigmoid gives the same numbers). These checks decide which: the
same probes as grading, on many more and wider inputs, compared to within a few units in the last
place (no grading tolerance). They run like any check, through the normal grader, so the mutant
runs in the sandbox; they are not in the registry, so no student is ever graded by them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st

from assignments.homework.data import classification_data, regression_data
from autograder.trusted import strategies as s
from autograder.trusted.checks.update import leaves
from autograder.trusted.registry import Check
from autograder.trusted.trial import Observation, Trial
from autograder.trusted.verdict import CheckFailed, Said

EXAMPLES = 100  # per property: five times what grading tries, from wider ranges
ULPS = 16  # "the same number": equal up to this many units in the last place


def _close(got: torch.Tensor, expected: torch.Tensor) -> bool:
    if got.dtype != expected.dtype or got.shape != expected.shape:
        return False
    if not expected.is_floating_point():
        return torch.equal(got, expected)
    info = torch.finfo(expected.dtype)
    return torch.allclose(got, expected, rtol=ULPS * info.eps, atol=info.tiny, equal_nan=True)


def expect_identical(student: Observation, reference: Observation) -> None:
    """Everything the probe saw (facts and every tensor, inputs afterwards included) is the same."""
    (facts, got), (expected_facts, expected) = student, reference
    differences = [key for key in sorted(set(got) | set(expected))
                   if key not in got or key not in expected or not _close(got[key], expected[key])]
    if facts != expected_facts:
        differences.insert(0, "facts")
    if differences:
        raise CheckFailed("different", Said(f"differs from the reference in {', '.join(differences)}",
                                            f"기준 답안과 다름: {', '.join(differences)}"))


def _wide(trial: Trial) -> None:
    trial.settings = settings(trial.settings, max_examples=EXAMPLES)


def build_X(trial: Trial) -> None:
    """build_X on int64, float32 and float64 columns and vectors of any length and magnitude"""
    _wide(trial)

    @trial.given(x=s.tensors(dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(60), lo=-1e6, hi=1e6))
    def prop(x: torch.Tensor) -> None:
        expect_identical(*trial.call(x))
    prop()


def update(trial: Trial) -> None:
    """update on one tensor, lists and generators of float32/float64 leaves, any alpha"""
    _wide(trial)

    @trial.given(pairs=leaves(count=st.integers(1, 4), dtypes=(np.float32, np.float64)),
                 alpha=st.floats(1e-4, 10.0), container=st.sampled_from(["tensor", "list", "generator"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        pairs = pairs[:1] if container == "tensor" else pairs
        tensors = {}
        for i, (value, grad) in enumerate(pairs):
            tensors[f"p{i}"], tensors[f"g{i}"] = value, grad
        expect_identical(*trial.observe("update", {"container": container, "count": len(pairs), "alpha": alpha},
                                        tensors))
    prop()
    linear = {"p0": torch.tensor([[0.5, -1.5]]), "g0": torch.tensor([[0.25, 2.0]]),
              "p1": torch.tensor([0.3]), "g1": torch.tensor([-1.0])}
    expect_identical(*trial.observe("update", {"container": "linear", "count": 2, "alpha": 0.1}, linear))


_SIGMOID_EDGES = [0.0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 1.0, -1.0, 30.0, -30.0, 100.0, -100.0, 1e4, -1e4]


def sigmoid(trial: Trial) -> None:
    """sigmoid's values on |u| up to 1e4 (zero and the overflow edges included), and its gradient"""
    _wide(trial)
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
    _wide(trial)
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


_RUNS = {"build_X": build_X, "update": update, "sigmoid": sigmoid, "bce_loss": bce_loss,
         "train_logistic": train_logistic, "train_linear": train_linear}


def checks(functions: tuple[str, ...]) -> list[Check]:
    """One audit-only check per function: passes only when the function behaves like the reference."""
    made = []
    for function in functions:
        run = _RUNS[function]
        title = (run.__doc__ or function).strip().splitlines()[0]
        made.append(Check(f"{function}.audit_equivalence", function, title,
                          spec="(audit only) the same results as the reference everywhere", points=1,
                          public=False, timeout=120, run=run))
    return made
