"""The reference reproduces the lecture's numbers (on the lecture's CSV where it is at hand, and
on the project's own data always)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from assignments.homework.data import classification_data, regression_data
from solutions.homework.reference import bce_loss, build_X, sigmoid, train_linear, train_logistic, update

LECTURE_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "lecture-regression.csv"


@pytest.mark.skipif(not LECTURE_CSV.exists(), reason="the lecture's CSV lives outside the project")
def test_train_linear_gives_the_lectures_parameters() -> None:
    import pandas as pd

    data = pd.read_csv(LECTURE_CSV)
    x = torch.tensor(data["x"].to_numpy(), dtype=torch.float32).reshape(-1, 1)
    y = torch.tensor(data["y"].to_numpy(), dtype=torch.float32).reshape(-1, 1)
    assert torch.allclose(train_linear(x, y).detach().ravel(), torch.tensor([2.4290, 4.0144]), atol=1e-4)


def test_the_first_update_step_matches_the_lecture_on_project_data() -> None:
    """One step from What=[-5,10] equals What - 0.1 * d(MSE)/dWhat computed in closed form."""
    x, y = regression_data()
    X = build_X(x)
    what = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    torch.mean((y - X @ what) ** 2).backward()
    closed_form = -2 / len(x) * X.T @ (y - X @ what.detach())
    update(what, 0.1)
    assert torch.allclose(what.detach(), torch.tensor([[-5.0], [10.0]]) - 0.1 * closed_form, atol=1e-5)
    assert what.grad is None and what.is_leaf and what.requires_grad


def test_train_linear_recovers_the_line_the_data_was_made_from() -> None:
    what = train_linear(*regression_data(), epochs=300).detach().ravel()
    assert torch.allclose(what, torch.tensor([2.5, 4.0]), atol=0.2)


def test_seeded_linear_matches_the_lecture() -> None:
    torch.manual_seed(43052)
    net = torch.nn.Linear(1, 1)
    assert torch.allclose(net.weight, torch.tensor([[-0.3467]]), atol=1e-4)
    assert torch.allclose(net.bias, torch.tensor([-0.8470]), atol=1e-4)
    trained = train_logistic(*classification_data(), epochs=0)
    assert torch.equal(trained.weight, net.weight) and torch.equal(trained.bias, net.bias)


def test_sigmoid_and_bce_are_safe_where_the_lectures_formula_is_not() -> None:
    for dtype in (torch.float32, torch.float64):
        u = torch.tensor([-1e4, -100.0, 0.0, 100.0, 1e4], dtype=dtype)
        assert torch.allclose(sigmoid(u), torch.sigmoid(u), atol=1e-12)
        assert torch.isnan(torch.exp(u) / (1 + torch.exp(u))).any()
    yhat, y = torch.tensor([0.0, 1.0, 0.3]), torch.tensor([0.0, 1.0, 1.0])
    assert torch.allclose(bce_loss(yhat, y), torch.nn.functional.binary_cross_entropy(yhat, y))
    u = torch.linspace(-5, 5, 11, requires_grad=True)
    sigmoid(u).sum().backward()
    assert torch.allclose(u.grad, torch.sigmoid(u) * (1 - torch.sigmoid(u)))
