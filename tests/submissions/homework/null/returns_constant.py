"""Null work (returns constant): one constant (0.5) for everything. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    return torch.full((len(x), 2), 0.5)


def update(params, alpha):
    return 0.5


def sigmoid(u):
    return torch.full_like(u, 0.5)


def bce_loss(yhat, y):
    return torch.tensor(0.5)


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    return 0.5


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return torch.full((2, 1), 0.5)
