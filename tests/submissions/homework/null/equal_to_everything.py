"""Null work (always equal): an object equal to everything, in place of every answer. Every function must score 0."""

import torch
from torch import nn


class AlwaysEqual:
    """Equal to anything, a tensor to nobody."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None


def build_X(x):
    return AlwaysEqual()


def update(params, alpha):
    return AlwaysEqual()


def sigmoid(u):
    return AlwaysEqual()


def bce_loss(yhat, y):
    return AlwaysEqual()


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    return AlwaysEqual()


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return AlwaysEqual()
