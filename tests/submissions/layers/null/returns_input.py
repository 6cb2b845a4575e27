"""Null work (returns input): every function returns its first argument. Every function must score 0."""

import torch
from torch import nn


def to_column(values):
    return values


def lecture_net(bias):
    return bias


def mse_loss(yhat, y):
    return yhat


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    return net
