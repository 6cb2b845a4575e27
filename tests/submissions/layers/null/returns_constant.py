"""Null work (returns constant): one constant (0.5) for everything. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return torch.full((len(values), 1), 0.5)


def lecture_net(bias):
    return 0.5


def mse_loss(yhat, y):
    return torch.tensor(0.5)


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    return 0.5
