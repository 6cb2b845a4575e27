"""Null work (untrained): a layer or parameters that were never trained: the starting point itself. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return torch.empty(len(values), 1)


def lecture_net(bias):
    return nn.Linear(1, 1) if bias else nn.Linear(2, 1, bias=False)


def mse_loss(yhat, y):
    return (yhat * 0).sum()


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    return net
