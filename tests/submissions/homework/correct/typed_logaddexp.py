"""Homework 1 — 기계학습특강

학번: 202210598
이름: 안시현

타입 힌트랑 docstring 을 달아 봤습니다.
"""
from __future__ import annotations

from typing import Iterable, Union

import torch
from torch import nn, optim


def build_X(x: torch.Tensor) -> torch.Tensor:
    """x: (n,) 또는 (n,1)  ->  X: (n,2) float32, 첫 열은 1."""
    x = torch.as_tensor(x).reshape(-1, 1).to(dtype=torch.float32)
    return torch.cat([torch.ones_like(x), x], dim=1)


def update(params: Union[torch.Tensor, Iterable[torch.Tensor]], alpha: float) -> None:
    """value <- value - alpha * grad (in place), 그 다음 grad 를 지움."""
    if isinstance(params, torch.Tensor):
        params = [params]
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=-alpha)
            p.grad = None


def sigmoid(u: torch.Tensor) -> torch.Tensor:
    """1/(1+e^-u) = exp(-log(e^0 + e^-u)),  logaddexp 는 overflow 가 없음."""
    return torch.exp(-torch.logaddexp(torch.zeros_like(u), -u))


def bce_loss(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """평균 binary cross entropy (log 는 -100 에서 자름)."""
    return -(y * yhat.log().clamp_min(-100) + (1 - y) * (1 - yhat).log().clamp_min(-100)).mean()


def train_logistic(x: torch.Tensor, y: torch.Tensor, *, lr: float = 0.1, epochs: int = 100,
                   seed: int = 43052) -> nn.Linear:
    torch.manual_seed(seed)
    net = nn.Linear(1, 1)
    sgd = optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        loss = bce_loss(sigmoid(net(x)), y)
        loss.backward()
        sgd.step()
        net.zero_grad()
    return net


def train_linear(x: torch.Tensor, y: torch.Tensor, *, alpha: float = 0.1, epochs: int = 30) -> torch.Tensor:
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]]).requires_grad_(True)
    for _ in range(epochs):
        loss = torch.mean((y - X @ What) ** 2)
        loss.backward()
        update(What, alpha)
    return What
