"""The references are as robust as torch's own functions: on saturating inputs every training function
of every assignment equals the same loop written with torch's losses (and, where it uses one, torch's
sigmoid), and bce_loss's gradient at yhat exactly 0 or 1 is torch's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from autograder.trusted.assignment import load, names
from solutions.homework import reference as homework
from solutions.homework.checks.train_logistic import saturating_data
from solutions.layers import reference as layers

TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}  # the training checks' own


def _logistic_torch(x: torch.Tensor, y: torch.Tensor, *, lr: float, epochs: int, sigmoid: Callable) -> torch.Tensor:
    torch.manual_seed(43052)
    net = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        torch.nn.BCELoss()(sigmoid(net(x)), y).backward()
        optimizer.step()
        optimizer.zero_grad()
    return torch.cat([net.weight.detach().reshape(-1), net.bias.detach()])


def homework_train_logistic() -> None:
    x, y = saturating_data()  # the hidden check's data: torch's sigmoid and BCELoss give the same layer
    net = homework.train_logistic(x, y, lr=0.1, epochs=40)
    ours = torch.cat([net.weight.detach().reshape(-1), net.bias.detach()])
    assert torch.isfinite(ours).all()
    assert torch.allclose(ours, _logistic_torch(x, y, lr=0.1, epochs=40, sigmoid=torch.sigmoid), **TOLERANCE)
    # the data of the issue that found the NaN: torch's BCELoss in the same loop gives the same layer
    x = torch.linspace(-50, 50, 200).reshape(-1, 1)
    y = torch.bernoulli(torch.sigmoid(2 * x), generator=torch.Generator().manual_seed(0))
    net = homework.train_logistic(x, y)
    ours = torch.cat([net.weight.detach().reshape(-1), net.bias.detach()])
    assert torch.allclose(ours, _logistic_torch(x, y, lr=0.1, epochs=100, sigmoid=homework.sigmoid), **TOLERANCE)


def homework_train_linear() -> None:
    """Large inputs (|x| up to 1e3, a tiny alpha): the manual step equals torch's MSELoss with torch.optim.SGD."""
    x = torch.linspace(-1e3, 1e3, 50).reshape(-1, 1)
    y = 2.5 + 4 * x
    ours = homework.train_linear(x, y, alpha=1e-7, epochs=30).detach()
    what = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    optimizer = torch.optim.SGD([what], lr=1e-7)
    X = torch.cat([torch.ones_like(x), x], dim=1)
    for _ in range(30):
        torch.nn.MSELoss()(X @ what, y).backward()
        optimizer.step()
        optimizer.zero_grad()
    assert torch.isfinite(ours).all() and torch.allclose(ours, what.detach(), **TOLERANCE)


def layers_fit() -> None:
    """Large inputs: fit (with the reference mse_loss) equals the same loop with torch.nn.MSELoss."""
    x = torch.linspace(-1e3, 1e3, 50).reshape(-1, 1)
    y = 2.5 + 4 * x
    ours = layers.fit(layers.lecture_net(True), x, y, lr=1e-7, epochs=30)
    net = layers.lecture_net(True)
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-7)
    for _ in range(30):
        torch.nn.MSELoss()(net(x), y).backward()
        optimizer.step()
        optimizer.zero_grad()
    for a, b in zip(ours.parameters(), net.parameters()):
        assert torch.isfinite(a).all() and torch.allclose(a.detach(), b.detach(), **TOLERANCE)


COMPARISONS = {("homework", "train_logistic"): homework_train_logistic,
               ("homework", "train_linear"): homework_train_linear,
               ("layers", "fit"): layers_fit}


def test_every_training_function_of_every_assignment_is_compared() -> None:
    training = {(name, f.name) for name in names() for f in load(name).functions if f.helpers}
    assert training == set(COMPARISONS)


@pytest.mark.parametrize("which", sorted(COMPARISONS), ids=["/".join(k) for k in sorted(COMPARISONS)])
def test_the_reference_equals_torchs_own_loop(which: tuple[str, str]) -> None:
    COMPARISONS[which]()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_bce_at_exactly_zero_and_one_is_torchs(dtype: torch.dtype) -> None:
    yhat = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.3], dtype=dtype, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=dtype)
    ours = homework.bce_loss(yhat, y)
    (ours_grad,) = torch.autograd.grad(ours, yhat)
    theirs = torch.nn.functional.binary_cross_entropy(yhat, y)
    (their_grad,) = torch.autograd.grad(theirs, yhat)
    assert torch.isfinite(ours) and torch.allclose(ours, theirs)
    assert torch.isfinite(ours_grad).all() and torch.allclose(ours_grad, their_grad, rtol=1e-6)
    assert ours_grad[0] == 0 and ours_grad[1] == 0  # a right prediction at the edge: no push at all
