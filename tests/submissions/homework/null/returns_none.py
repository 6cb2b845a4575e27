"""Null work (returns none): every function returns None. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    return None


def update(params, alpha):
    return None


def sigmoid(u):
    return None


def bce_loss(yhat, y):
    return None


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    return None


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return None
