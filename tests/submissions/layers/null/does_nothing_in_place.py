"""Null work (does nothing in place): the in-place work left out: no step, only the gradients cleared; the loops only set up. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return None


def lecture_net(bias):
    return None


def mse_loss(yhat, y):
    return None


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
    return net
