"""Data for the homework, made here from a seed (the same numbers on every machine).

Shaped like the lecture's: a noisy line y = 2.5 + 4x for regression, and labels drawn from
sigmoid(-1 + 5x) for logistic regression. Students get this file; the grader uses it too.
"""

from __future__ import annotations

import torch

REGRESSION_SEED = 20260301
CLASSIFICATION_SEED = 20260315


def regression_data(n: int = 100, seed: int = REGRESSION_SEED) -> tuple[torch.Tensor, torch.Tensor]:
    """x sorted, shape (n,1) float32; y = 2.5 + 4x + noise, shape (n,1) float32."""
    g = torch.Generator().manual_seed(seed)
    x, _ = torch.randn(n, generator=g).sort()
    y = 2.5 + 4 * x + 0.5 * torch.randn(n, generator=g)
    return x.reshape(n, 1), y.reshape(n, 1)


def classification_data(n: int = 200, seed: int = CLASSIFICATION_SEED) -> tuple[torch.Tensor, torch.Tensor]:
    """x evenly spaced on [-1,1], shape (n,1) float32; y ~ Bernoulli(sigmoid(-1 + 5x)) in {0,1}."""
    g = torch.Generator().manual_seed(seed)
    x = torch.linspace(-1, 1, n).reshape(n, 1)
    y = torch.bernoulli(torch.sigmoid(-1 + 5 * x), generator=g)
    return x, y
