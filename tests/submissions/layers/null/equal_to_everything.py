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


def to_column(values):
    return AlwaysEqual()


def lecture_net(bias):
    return AlwaysEqual()


def mse_loss(yhat, y):
    return AlwaysEqual()


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    return AlwaysEqual()
