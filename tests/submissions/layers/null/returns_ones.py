"""Null work (returns ones): ones of the right shape and dtype. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return torch.ones(len(values), 1)


def lecture_net(bias):
    net = nn.Linear(1, 1) if bias else nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(1.0)
    return net


def mse_loss(yhat, y):
    return torch.tensor(1.0, requires_grad=True)


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(1.0)
    return net
