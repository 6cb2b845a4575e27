"""train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052) — x, y (n,1) float32, y in {0,1}.
Calls torch.manual_seed(seed), then creates torch.nn.Linear(1,1), then runs `epochs` full-batch
steps of sigmoid → BCE → backward → SGD step at lr → zero grads; returns the trained Linear."""

from __future__ import annotations

from typing import Any

import torch

from assignments.homework.data import classification_data
from autograder.trusted.compare import expect_tensor
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said

TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}  # a training loop accumulates rounding differences


def expect_trained(trial: Trial, x: torch.Tensor, y: torch.Tensor, *, scramble: int = 1, **kwargs: Any) -> None:
    params = {"kwargs": kwargs, "scramble": scramble}
    (facts, got), (_, expected) = trial.observe("train", params, {"x": x, "y": y})
    out = facts.get("out") or {}
    if out.get("kind") != "linear":
        shown = out.get("type") or {"none": "None", "tensor": "a tensor"}.get(str(out.get("kind")), "something else")
        raise CheckFailed("not_linear", Said(
            f"train_logistic should return the trained torch.nn.Linear, but it returned {shown}.",
            f"train_logistic은 학습된 torch.nn.Linear를 반환해야 하는데 {shown}을(를) 반환했습니다."))
    if (out.get("in_features"), out.get("out_features")) != (1, 1):
        layer = f"Linear({out.get('in_features')}, {out.get('out_features')})"
        raise CheckFailed("shape", Said(f"The returned layer is {layer}; expected Linear(1, 1).",
                                        f"반환된 층이 {layer}입니다. Linear(1, 1)이어야 합니다."))
    for name in ("weight", "bias"):
        said = Said(f"The trained {name}", f"학습된 {name}")
        expect_tensor(said, facts.get(name), got.get(name), expected[name], **TOLERANCE)


@check("train_logistic", points=5, public=True, timeout=20,
       spec="with the defaults (lr=0.1, epochs=100, seed=43052) returns the trained Linear")
def defaults(trial: Trial) -> None:
    """The homework's data with the default lr, epochs and seed"""
    x, y = classification_data()
    with trial.trying(x=x, y=y):
        expect_trained(trial, x, y)


@check("train_logistic", points=5, public=False, timeout=20,
       spec="runs `epochs` steps ... at lr, seeded with `seed` — for any lr, epochs and seed")
def other_settings(trial: Trial) -> None:
    """Other data, learning rates, epoch counts and seeds (none of them hard-coded)"""
    for data_seed, n, kwargs in [(11, 60, {"lr": 0.5, "epochs": 37, "seed": 7}),
                                 (12, 150, {"lr": 0.05, "epochs": 120, "seed": 2024}),
                                 (13, 30, {"lr": 1.0, "epochs": 3, "seed": 43052})]:
        x, y = classification_data(n=n, seed=data_seed)
        with trial.trying(x=x, y=y, **kwargs):
            expect_trained(trial, x, y, **kwargs)


@check("train_logistic", points=3, public=False, timeout=20,
       spec="Calls torch.manual_seed(seed), then creates torch.nn.Linear(1,1)")
def seeds_itself(trial: Trial) -> None:
    """The same answer whatever state the global random generator was in before the call"""
    x, y = classification_data(n=50, seed=14)
    for scramble in (123, 98765):
        try:
            with trial.trying(x=x, y=y, epochs=5):
                expect_trained(trial, x, y, scramble=scramble, epochs=5)
        except CheckFailed as failure:
            if failure.kind not in {"values", "nan"}:
                raise
            raise CheckFailed("seed", Said(
                "The trained parameters depend on the random state before the call: call "
                "torch.manual_seed(seed) first, then create nn.Linear(1, 1).",
                "학습된 파라미터가 호출 전의 난수 상태에 따라 달라집니다: 먼저 torch.manual_seed(seed)를 "
                "호출한 다음 nn.Linear(1, 1)을 만드세요."), detail=failure.detail) from None


@check("train_logistic", points=1, public=False, timeout=20, spec="train_logistic does not modify x or y")
def leaves_data_alone(trial: Trial) -> None:
    """x and y are unchanged after training"""
    x, y = classification_data(n=40, seed=15)
    x = 2 * x + 1  # not centred, not scaled: any in-place preprocessing shows
    with trial.trying(x=x, y=y):
        (_, got), _ = trial.observe("train", {"kwargs": {"epochs": 3}, "scramble": 1}, {"x": x, "y": y})
        trial.expect_unchanged(got, {"x": (x, "x_after"), "y": (y, "y_after")})
