"""Null work (returns ones): ones of the right shape and dtype. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    return torch.ones(len(x), 2)


def update(params, alpha):
    return None


def sigmoid(u):
    return torch.ones_like(u)


def bce_loss(yhat, y):
    return torch.tensor(1.0)


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    net = nn.Linear(1, 1)
    with torch.no_grad():
        net.weight.fill_(1.0)
        net.bias.fill_(1.0)
    return net


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return torch.ones(2, 1, requires_grad=True)
