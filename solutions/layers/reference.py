"""Reference solutions of the layers assignment (the lecture's second half).

Each function is the answer the grader compares a student's function with, written the way the
lecture teaches: nn.Linear for the net, torch.optim.SGD for the step, and the shapes and dtypes
made explicit where the lecture warned about them.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def to_column(values: list | np.ndarray | torch.Tensor) -> torch.Tensor:
    """A new (n,1) float32 tensor holding values, always a copy (never the caller's memory)."""
    if isinstance(values, torch.Tensor):
        return values.detach().to(torch.float32).clone().reshape(-1, 1)
    return torch.tensor(np.array(values, dtype=np.float32)).reshape(-1, 1)


def lecture_net(bias: bool) -> nn.Linear:
    """The lecture's starting net: intercept -5 and slope 10, set in place, whatever the random state."""
    if bias:
        net = nn.Linear(1, 1)
        with torch.no_grad():
            net.weight.copy_(torch.tensor([[10.0]]))
            net.bias.copy_(torch.tensor([-5.0]))
    else:
        net = nn.Linear(2, 1, bias=False)
        with torch.no_grad():
            net.weight.copy_(torch.tensor([[-5.0, 10.0]]))
    return net


def mse_loss(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean squared error; different shapes raise instead of broadcasting."""
    if yhat.shape != y.shape:
        raise ValueError(
            f"yhat and y must have the same shape, got yhat {tuple(yhat.shape)} and y {tuple(y.shape)}"
        )
    return torch.mean((y - yhat) ** 2)


def fit(net: nn.Module, inputs: torch.Tensor, y: torch.Tensor, *, lr: float = 0.1, epochs: int = 30) -> nn.Module:
    """The lecture's loop with an optimizer: forward, mse_loss, backward, step, zero_grad; net trained in place."""
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        loss = mse_loss(net(inputs), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return net
