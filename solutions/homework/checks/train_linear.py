"""train_linear(x, y, *, alpha=0.1, epochs=30) — the lecture's own loop: X = build_X(x), What
starts at [[-5.],[10.]] with requires_grad, `epochs` steps of MSE → backward → the update step;
returns What (2,1)."""

from __future__ import annotations

from typing import Any

import torch

from assignments.homework.data import regression_data
from autograder.trusted.compare import Pitfall, expect_tensor, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import Said

TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}  # a training loop accumulates rounding differences
START = [[-5.0], [10.0]]


def lecture_loop(x: torch.Tensor, y: torch.Tensor, *, alpha: float = 0.1, epochs: int = 30, reduce: str = "mean",
                 start: list[list[float]] = START) -> torch.Tensor:
    """The reference's loop, with a knob for each of the lecture's mistakes (to recognise them)."""
    X = torch.cat([torch.ones_like(x.reshape(-1, 1)), x.reshape(-1, 1)], dim=1).float()
    What = torch.tensor(start, requires_grad=True)
    for _ in range(epochs):
        residual = (y.reshape(-1, 1) - X @ What) ** 2
        loss = residual.sum() if reduce == "sum" else residual.mean()
        loss.backward()
        with torch.no_grad():
            What -= alpha * What.grad
            What.grad = None
    return What.detach()


def pitfalls(x: torch.Tensor, y: torch.Tensor, alpha: float = 0.1, epochs: int = 30) -> list[Pitfall]:
    n = x.shape[0]
    return [
        Pitfall("sum_not_mean", Said(
            f"Each step is {n} times too large: the loss is the sum of squared errors over the {n} points. "
            "MSE is their mean (torch.mean), as in the lecture's ver2.",
            f"한 걸음이 {n}배 큽니다: loss로 {n}개 점의 제곱오차 합(sum)을 썼습니다. 강의의 ver2처럼 MSE, 즉 "
            "제곱오차의 평균(torch.mean)을 쓰세요."),
            resembles(lambda: lecture_loop(x, y, alpha=alpha, epochs=epochs, reduce="sum"))),
        Pitfall("lr_ignored", Said(
            f"The answer is what alpha=0.1 gives, but alpha={alpha:g} was passed: use the argument alpha, "
            "not a fixed number.",
            f"`alpha={alpha:g}`로 호출했는데 `alpha=0.1`일 때의 결과가 나왔습니다: 고정된 숫자 대신 인자 alpha의 "
            "값을 쓰세요."),
            resembles(lambda: lecture_loop(x, y, epochs=epochs))),
        Pitfall("epochs", Said(
            f"The answer is what {epochs + 1} or {epochs - 1} steps give, not {epochs}: run exactly "
            "`for epoch in range(epochs)`.",
            f"{epochs}번이 아니라 {epochs + 1}번 또는 {epochs - 1}번 업데이트한 결과입니다: 정확히 "
            "`for epoch in range(epochs)`만큼 반복하세요."),
            lambda got, expected: any(resembles(lambda e=e: lecture_loop(x, y, alpha=alpha, epochs=e))(got, expected)
                                      for e in (epochs + 1, epochs - 1) if e >= 0)),
        Pitfall("start", Said(
            "The training did not start from the lecture's What = [[-5.], [10.]] (requires_grad=True).",
            "학습이 강의의 시작값 `What = torch.tensor([[-5.], [10.]], requires_grad=True)`에서 시작하지 "
            "않았습니다."),
            resembles(lambda: lecture_loop(x, y, alpha=alpha, epochs=epochs, start=[[0.0], [0.0]]))),
    ]


def expect_trained(trial: Trial, x: torch.Tensor, y: torch.Tensor, *, keep: bool = False, **kwargs: Any
                   ) -> dict[str, torch.Tensor]:
    (facts, got), (_, expected) = trial.observe("train", {"kwargs": kwargs, "scramble": 1}, {"x": x, "y": y})
    out = got.get("out")
    if keep and out is not None and out.numel() == 2:  # the student's fitted line, for the feedback's plot
        trial.kept["fit"] = {"What": [float(v) for v in out.reshape(-1)]}
    name = Said("The returned What", "반환된 What")
    expect_tensor(name, facts.get("out"), out, expected["out"], **TOLERANCE, pitfalls=pitfalls(x, y, **kwargs))
    return got


@check("train_linear", points=5, public=True, timeout=20,
       title_ko="과제 데이터에서 기본 alpha와 epochs로 학습",
       spec=("x, y: shape (n,1), dtype float32.",
             "Start from X = build_X(x) and What = [[-5.], [10.]] with requires_grad=True.",
             "Returns: the trained What, shape (2,1)."))
def defaults(trial: Trial) -> None:
    """The homework's data with the default alpha and epochs"""
    x, y = regression_data()
    with trial.trying(x=x, y=y):
        expect_trained(trial, x, y, keep=True)


@check("train_linear", points=5, public=False, timeout=20,
       title_ko="다른 데이터, 학습률 alpha, epoch 수 (어느 것도 고정된 숫자로 쓰지 않는지)",
       spec=("The lecture's linear-regression loop: build_X, MSE, backward and update, `epochs` times.",
             "Each epoch, compute loss = mean((y - X @ What)^2), call backward, then update(What, alpha)."))
def other_settings(trial: Trial) -> None:
    """Other data, step sizes and epoch counts (none of them hard-coded)"""
    for data_seed, n, kwargs in [(21, 40, {"alpha": 0.05, "epochs": 50}),
                                 (22, 120, {"alpha": 0.2, "epochs": 7}),
                                 (23, 10, {"alpha": 0.01, "epochs": 100})]:
        x, y = regression_data(n=n, seed=data_seed)
        with trial.trying(x=x, y=y, **kwargs):
            expect_trained(trial, x, y, **kwargs)


@check("train_linear", points=2, public=False, timeout=20, title_ko="학습한 뒤에도 x와 y가 그대로인지",
       spec="Do not modify x or y.", side_effect=True)
def leaves_data_alone(trial: Trial) -> None:
    """x and y are unchanged after training"""
    x, y = regression_data(n=30, seed=24)
    with trial.trying(x=x, y=y):
        got = trial.right_first(lambda: expect_trained(trial, x, y, epochs=3))
        trial.expect_unchanged(got, {"x": (x, "x_after"), "y": (y, "y_after")})
