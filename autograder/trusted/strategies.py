"""Every generated input of the assignment, in one place (hypothesis strategies).

Shapes, dtypes and values come from `hypothesis.extra.numpy` and become torch tensors at the
edge. `GRADING` makes runs reproducible: derandomized, no example database, no deadline.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import HealthCheck, Verbosity, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Hypothesis also draws "local constants": literals it finds in the source of every non-library
# module loaded in the process. Which modules are loaded differs between `grade`, `check`, a
# notebook kernel and `make install`, and grows during a batch, so the same answer could be shown
# different inputs. Grading draws only from the strategies: no local constants.
try:
    from hypothesis.internal.conjecture import providers as _providers

    _NO_CONSTANTS = _providers.Constants()
    _providers._get_local_constants = lambda: _NO_CONSTANTS
except (ImportError, AttributeError):  # another hypothesis version: plans are remade for it anyway
    pass

GRADING = settings(derandomize=True, database=None, deadline=None, max_examples=20,
                   suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                   report_multiple_bugs=False, print_blob=False)

FLOAT_DTYPES = (np.float32, np.float64)


def _elements(dtype: type, lo: float, hi: float) -> st.SearchStrategy:
    if np.issubdtype(dtype, np.integer):
        return st.integers(int(lo), int(hi))
    if dtype == np.float32:  # bounds must be float32 numbers themselves
        return st.floats(float(np.float32(lo)), float(np.float32(hi)), width=32, allow_nan=False,
                         allow_subnormal=False)
    return st.floats(lo, hi, width=64, allow_nan=False, allow_subnormal=False)


@st.composite
def tensors(draw: st.DrawFn, *, dtypes: tuple[type, ...], shapes: st.SearchStrategy[tuple[int, ...]],
            lo: float, hi: float) -> torch.Tensor:
    dtype = draw(st.sampled_from(dtypes))
    array = draw(hnp.arrays(dtype, draw(shapes), elements=_elements(dtype, lo, hi)))
    return torch.from_numpy(np.ascontiguousarray(array))


def columns(max_n: int = 40) -> st.SearchStrategy[tuple[int, ...]]:
    """(n,) or (n,1), n from 1: the two shapes students mix up."""
    return st.integers(1, max_n).flatmap(lambda n: st.sampled_from([(n,), (n, 1)]))


def any_shape(max_dims: int = 3) -> st.SearchStrategy[tuple[int, ...]]:
    return hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=1, max_side=6)


def parameter_shapes() -> st.SearchStrategy[tuple[int, ...]]:
    return hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)


@st.composite
def probabilities_and_labels(draw: st.DrawFn, *, dtypes: tuple[type, ...], lo: float
                             ) -> tuple[torch.Tensor, torch.Tensor]:
    """yhat strictly inside (0,1) and y in {0,1}, same shape (n,1) or (n,)."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(columns())
    yhat = draw(hnp.arrays(dtype, shape, elements=_elements(dtype, lo, 1 - lo)))
    y = draw(hnp.arrays(dtype, shape, elements=st.sampled_from([0.0, 1.0])))
    return torch.from_numpy(np.ascontiguousarray(yhat)), torch.from_numpy(np.ascontiguousarray(y))
