"""Null work (does nothing in place): the in-place work left out: no step, only the gradients cleared; the loops only set up. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    x.reshape(-1)
    return None


def update(params, alpha):
    for p in ([params] if isinstance(params, torch.Tensor) else params):
        p.grad = None


def sigmoid(u):
    u.detach()
    return None


def bce_loss(yhat, y):
    return None


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = nn.Linear(1, 1)
    torch.optim.SGD(net.parameters(), lr=lr).zero_grad()
    return net


def train_linear(x, y, *, alpha=0.1, epochs=30):
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for _ in range(epochs):
        What.grad = None
    return What
