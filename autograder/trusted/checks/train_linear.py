"""train_linear(x, y, *, alpha=0.1, epochs=30) — the lecture's own loop: X = build_X(x), What
starts at [[-5.],[10.]] with requires_grad, `epochs` steps of MSE → backward → the update step;
returns What (2,1)."""

from __future__ import annotations

from typing import Any

import torch

from assignments.homework.data import regression_data
from autograder.trusted.compare import expect_tensor
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import Said

TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}  # a training loop accumulates rounding differences


def expect_trained(trial: Trial, x: torch.Tensor, y: torch.Tensor, **kwargs: Any) -> None:
    (facts, got), (_, expected) = trial.observe("train", {"kwargs": kwargs, "scramble": 1}, {"x": x, "y": y})
    name = Said("The returned What", "반환된 What")
    expect_tensor(name, facts.get("out"), got.get("out"), expected["out"], **TOLERANCE)


@check("train_linear", points=5, public=True, timeout=20,
       spec="with the defaults (alpha=0.1, epochs=30) returns What (2,1), as in the lecture")
def defaults(trial: Trial) -> None:
    """The homework's data with the default alpha and epochs"""
    x, y = regression_data()
    with trial.trying(x=x, y=y):
        expect_trained(trial, x, y)


@check("train_linear", points=5, public=False, timeout=20,
       spec="`epochs` steps of MSE → backward → the update step, for any alpha and epochs")
def other_settings(trial: Trial) -> None:
    """Other data, step sizes and epoch counts (none of them hard-coded)"""
    for data_seed, n, kwargs in [(21, 40, {"alpha": 0.05, "epochs": 50}),
                                 (22, 120, {"alpha": 0.2, "epochs": 7}),
                                 (23, 10, {"alpha": 0.01, "epochs": 100})]:
        x, y = regression_data(n=n, seed=data_seed)
        with trial.trying(x=x, y=y, **kwargs):
            expect_trained(trial, x, y, **kwargs)


@check("train_linear", points=2, public=False, timeout=20, spec="train_linear does not modify x or y")
def leaves_data_alone(trial: Trial) -> None:
    """x and y are unchanged after training"""
    x, y = regression_data(n=30, seed=24)
    with trial.trying(x=x, y=y):
        (_, got), _ = trial.observe("train", {"kwargs": {"epochs": 3}, "scramble": 1}, {"x": x, "y": y})
        trial.expect_unchanged(got, {"x": (x, "x_after"), "y": (y, "y_after")})
