"""The code a hint shows works: run on the inputs its check tries, it gives the reference's answer
(and the claims a hint makes about a wrong form hold)."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from solutions.homework import reference
from solutions.homework.checks import bce_loss, build_X, sigmoid


def run(code: str, result: str, **names: Any) -> Any:
    scope: dict[str, Any] = {"torch": torch, "reference": reference, **names}
    exec(code, scope)  # noqa: S102 - our own hint's code
    return scope[result]


def test_each_hint_shows_its_code_in_both_languages() -> None:
    for hint, code in [(build_X.ONES_SECOND, build_X.ONES_FIRST_CODE), (bce_loss.LOG_ZERO, bce_loss.CLAMPED_CODE),
                       (sigmoid.OVERFLOW, sigmoid.STABLE_CODE), (sigmoid.WHERE_RAW, sigmoid.STABLE_CODE),
                       (sigmoid.ONE_OVER, sigmoid.STABLE_CODE), (sigmoid.OVERFLOW, sigmoid.WHERE_RAW_CODE)]:
        assert f"`{code}`" in hint.en and f"`{code}`" in hint.ko


@pytest.mark.parametrize("x", [
    torch.tensor([[-2.5], [-1.0], [0.0], [1.5], [3.0]]),  # the lecture's column (lecture_example)
    torch.tensor([0.5, -3.0, 7.25]), torch.tensor([[1.0]]), torch.tensor([4.0]),  # (n,) and (n,1), n from 1
    torch.tensor([1.0, -2.0], dtype=torch.float64), torch.tensor([[3], [-7], [0]]),  # other dtypes
    torch.tensor([5, 6, 7]),
], ids=lambda x: f"{tuple(x.shape)}-{x.dtype}")
def test_the_build_X_hint_works_on_what_the_checks_try(x: torch.Tensor) -> None:
    made = run(build_X.ONES_FIRST_CODE, "X", x=x.clone())
    expected = reference.build_X(x)
    assert made.dtype == expected.dtype and made.shape == expected.shape and torch.equal(made, expected)


@pytest.mark.parametrize(("yhat", "y"), [
    (torch.tensor([[0.0], [1.0], [0.25]]), torch.tensor([[0.0], [1.0], [1.0]])),  # exactly_zero_or_one
    (torch.tensor([[0.0], [1.0], [0.25]], dtype=torch.float64),
     torch.tensor([[0.0], [1.0], [1.0]], dtype=torch.float64)),
    (torch.tensor([0.0, 0.5]), torch.tensor([1.0, 1.0])), (torch.tensor([1.0, 0.5]), torch.tensor([0.0, 0.0])),
    (torch.tensor([0.3, 0.9, 0.01]), torch.tensor([0.0, 1.0, 1.0])),  # values: (n,) ...
    (torch.tensor([[0.3], [0.99]]), torch.tensor([[1.0], [0.0]])),  # ... and (n,1)
])
def test_the_bce_hint_works_on_what_the_checks_try(yhat: torch.Tensor, y: torch.Tensor) -> None:
    made = run(bce_loss.CLAMPED_CODE, "loss", yhat=yhat, y=y)
    expected = reference.bce_loss(yhat, y)
    assert made.shape == expected.shape and made.dtype == expected.dtype
    assert bool(torch.isfinite(made)) and torch.allclose(made, expected)


def _value_and_gradient(code: str, result: str, u: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    leaf = u.clone().requires_grad_(True)
    out = run(code, result, u=leaf)
    weights = torch.linspace(-1.0, 2.0, out.numel(), dtype=out.dtype).reshape(out.shape)
    (grad,) = torch.autograd.grad((out * weights).sum(), [leaf])
    return out.detach(), grad


LARGE = [torch.tensor([-100.0, -50.0, 0.0, 50.0, 100.0]),
         torch.tensor([-1e4, -5e3, 0.0, 5e3, 1e4], dtype=torch.float64),
         torch.tensor([-100.0, 0.0, 100.0], dtype=torch.float64), torch.linspace(-30, 30, 13)]


@pytest.mark.parametrize("u", LARGE, ids=lambda u: f"{float(u.abs().max()):g}-{u.dtype}")
def test_the_sigmoid_hint_has_finite_values_and_gradients(u: torch.Tensor) -> None:
    value, grad = _value_and_gradient(sigmoid.STABLE_CODE, "s", u)
    expected_value, expected_grad = _value_and_gradient("s = reference.sigmoid(u)", "s", u)
    assert torch.isfinite(value).all() and torch.isfinite(grad).all()
    assert torch.allclose(value, expected_value) and torch.allclose(grad, expected_grad)


def test_the_where_over_raw_formulas_has_the_nan_gradient_the_hint_says() -> None:
    for u in LARGE[:2]:
        value, grad = _value_and_gradient(f"s = {sigmoid.WHERE_RAW_CODE}", "s", u)
        assert torch.allclose(value, reference.sigmoid(u))  # the values are right ...
        assert not torch.isfinite(grad).all()  # ... the gradient is not
