"""Null work (untrained): a layer or parameters that were never trained: the starting point itself. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    return torch.stack([torch.ones(len(x)), torch.zeros(len(x))], dim=1)


def update(params, alpha):
    return None


def sigmoid(u):
    return u * 0 + 0.5


def bce_loss(yhat, y):
    return torch.tensor(0.6931471805599453, dtype=yhat.dtype)


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    return nn.Linear(1, 1)


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return torch.tensor([[-5.0], [10.0]], requires_grad=True)
