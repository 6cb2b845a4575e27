"""Null work (returns input): every function returns its first argument. Every function must score 0."""

import torch
from torch import nn


def build_X(x):
    return x


def update(params, alpha):
    return params


def sigmoid(u):
    return u


def bce_loss(yhat, y):
    return yhat


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    return x


def train_linear(x, y, *, alpha=0.1, epochs=30):
    return x
