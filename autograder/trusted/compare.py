"""The one comparison helper: the student's observed value against the reference's tensor.

Strict where the lecture is strict: the type must be a plain torch.Tensor, the dtype and the
shape must be exactly the reference's (no broadcasting: (n,) where (n,1) is due is wrong), and
values must satisfy |got - expected| <= atol + rtol*|expected| elementwise, with NaN or inf
never close to a finite value.
"""

from __future__ import annotations

from typing import Any

import torch

from autograder.trusted.verdict import CheckFailed, Said


def _shape(shape: tuple[int, ...] | torch.Size) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _dtype(dtype: torch.dtype) -> str:
    return str(dtype).replace("torch.", "")


def expect_tensor(name: Said, facts: dict[str, Any] | None, got: torch.Tensor | None,
                  expected: torch.Tensor, *, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Raise CheckFailed unless `got` is a plain tensor equal to `expected` within tolerance.

    `name` says what is compared, in both languages ("The result of sigmoid", "sigmoid의 결과").
    """
    what, what_ko = name.en, name.ko
    if not facts or facts.get("kind") != "tensor" or got is None:
        kind = (facts or {}).get("kind", "nothing")
        shown = {"none": "None", "object": (facts or {}).get("type", "an object"),
                 "linear": "an nn.Linear"}.get(kind, str(kind))
        raise CheckFailed("not_tensor", Said(
            f"{what} should be a torch.Tensor, but it is {shown}.",
            f"{what_ko}은(는) torch.Tensor여야 하는데 {shown}입니다."),
            detail={"got_type": shown})
    if got.dtype != expected.dtype:
        raise CheckFailed("dtype", Said(
            f"{what} has dtype {_dtype(got.dtype)}; expected {_dtype(expected.dtype)}.",
            f"{what_ko}의 dtype이 {_dtype(got.dtype)}입니다. {_dtype(expected.dtype)}이어야 합니다."),
            detail={"expected_dtype": _dtype(expected.dtype), "got_dtype": _dtype(got.dtype)})
    if got.shape != expected.shape:
        raise CheckFailed("shape", Said(
            f"{what} has shape {_shape(got.shape)}; expected {_shape(expected.shape)}.",
            f"{what_ko}의 shape이 {_shape(got.shape)}입니다. {_shape(expected.shape)}이어야 합니다."),
            detail={"expected_shape": list(expected.shape), "got_shape": list(got.shape)})
    if got.numel() == 0:
        return
    g, e = got.double(), expected.double()
    close = torch.isclose(g, e, rtol=rtol, atol=atol, equal_nan=False)
    close &= torch.isfinite(g) | ~torch.isfinite(e)  # inf only where the reference is inf too
    if bool(close.all()):
        return
    index = tuple(int(i) for i in torch.nonzero(~close)[0])
    finite = torch.isfinite(g) & torch.isfinite(e)
    diff = (g - e).abs().where(finite, torch.full_like(g, float("inf")))
    rel = diff / e.abs().clamp_min(1e-12)
    detail = {"index": list(index), "expected": float(e[index]), "got": float(g[index]),
              "max_abs_error": float(diff.max()), "max_rel_error": float(rel.max()),
              "mismatches": int((~close).sum()), "size": int(close.numel()), "rtol": rtol, "atol": atol}
    at = f" at index {list(index)}" if index else ""
    at_ko = f" (인덱스 {list(index)})" if index else ""
    if not bool(torch.isfinite(g[index])):
        raise CheckFailed("nan", Said(
            f"{what} contains {float(g[index])}{at} where {float(e[index]):.6g} is expected.",
            f"{what_ko}에 {float(g[index])} 값이 있습니다{at_ko}. {float(e[index]):.6g}이어야 합니다."),
            detail=detail)
    raise CheckFailed("values", Said(
        f"{what} differs from the expected values{at}: expected {float(e[index]):.6g}, got "
        f"{float(g[index]):.6g} ({detail['mismatches']} of {detail['size']} entries off; "
        f"max abs error {detail['max_abs_error']:.3g}).",
        f"{what_ko}의 값이 다릅니다{at_ko}: 기대값 {float(e[index]):.6g}, 실제값 {float(g[index]):.6g} "
        f"({detail['size']}개 중 {detail['mismatches']}개 불일치, 최대 절대오차 {detail['max_abs_error']:.3g})."),
        detail=detail)
