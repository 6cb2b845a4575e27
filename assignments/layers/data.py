"""Data for the layers assignment, made here from a seed (the same numbers on every machine).

Shaped like the lecture's: a noisy line y = 2.5 + 4x, and the design matrix X = [1, x] for the
network without a bias. Students get this file; the grader uses it too.
"""

from __future__ import annotations

import torch

REGRESSION_SEED = 20260412


def regression_data(n: int = 100, seed: int = REGRESSION_SEED) -> tuple[torch.Tensor, torch.Tensor]:
    """x sorted, shape (n,1) float32; y = 2.5 + 4x + noise, shape (n,1) float32."""
    g = torch.Generator().manual_seed(seed)
    x, _ = torch.randn(n, generator=g).sort()
    y = 2.5 + 4 * x + 0.5 * torch.randn(n, generator=g)
    return x.reshape(n, 1), y.reshape(n, 1)


def design(x: torch.Tensor) -> torch.Tensor:
    """The (n,2) float32 design matrix X = [1, x]: a column of ones, then x."""
    column = x.reshape(-1, 1).to(torch.float32)
    return torch.cat([torch.ones_like(column), column], dim=1)
