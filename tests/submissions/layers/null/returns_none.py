"""Null work (returns none): every function returns None. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return None


def lecture_net(bias):
    return None


def mse_loss(yhat, y):
    return None


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    return None
