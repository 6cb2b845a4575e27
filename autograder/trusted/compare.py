"""The one comparison helper: the student's observed value against the reference's tensor.

Strict where the lecture is strict: the type must be a plain torch.Tensor, the dtype and the
shape must be exactly the reference's (no broadcasting: (n,) where (n,1) is due is wrong), and
values must satisfy |got - expected| <= atol + rtol*|expected| elementwise, with NaN or inf
never close to a finite value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from autograder.trusted.profile import phase
from autograder.trusted.verdict import CheckFailed, Said, code


@dataclass(frozen=True)
class Pitfall:
    """A known mistake of the lecture: how to recognise it in a wrong answer, and what to tell the student.

    Checks pass the pitfalls their inputs make recognisable (e.g. "the reference run with the default
    lr") to `expect_tensor`; the first that matches a wrong answer becomes the failure's hint.
    """

    tag: str  # stable, for the class report: "sum_not_mean", "sign", ...
    hint: Said
    matches: Callable[[torch.Tensor, torch.Tensor], bool]  # (got, expected) -> is it this mistake?


def resembles(variant: torch.Tensor | Callable[[], torch.Tensor], *, rtol: float = 1e-4, atol: float = 1e-5
              ) -> Callable[..., bool]:
    """`matches` for a pitfall reproduced on the same input: the answer equals the mistaken computation.

    `variant` may be a function, so that a costly reproduction (a training run) is only made for a
    wrong answer."""
    def matches(got: torch.Tensor, expected: torch.Tensor) -> bool:
        made = variant() if callable(variant) else variant
        return (got.shape == made.shape and got.numel() > 0 and not torch.equal(made, expected.to(made.dtype))
                and bool(torch.isclose(got.double(), made.double(), rtol=rtol, atol=atol, equal_nan=True).all()))
    return matches


def scaled(factor: float) -> Callable[..., bool]:
    """`matches` for an answer that is the expected one times `factor` (a sign error, sum for mean)."""
    def matches(got: torch.Tensor, expected: torch.Tensor) -> bool:
        large = bool(expected.abs().max() > 1e-6)
        return factor != 1 and large and resembles(expected.double() * factor)(got, expected)
    return matches


def zero_where_nonzero(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """`matches` for a gradient that is exactly 0 at some point where the reference's is not."""
    if got.shape != expected.shape or not got.is_floating_point():
        return False
    return bool(((got == 0) & (expected.abs() > 1e-6)).any())


ZERO_GRADIENT = Said(
    "Your gradient is exactly 0 at a point where it should not be. Something in the formula has derivative 0 "
    "there: torch differentiates abs(u) at u = 0 as 0 (and sign, round, comparisons and a clamp at its bound as "
    "0 everywhere). Write the formula so that it is smooth at that point, for example by choosing between two "
    "smooth formulas with torch.where instead of using abs.",
    "기울기가 0이 아니어야 하는 곳에서 정확히 0입니다. 식의 어떤 부분이 그 점에서 미분값 0을 줍니다: torch는 "
    "`abs(u)`를 `u = 0`에서 0으로 미분합니다 (`sign`, `round`, 비교 연산, 경계에 걸린 `clamp`는 어디서나 0). "
    "그 점에서도 매끄럽게 미분되도록 식을 쓰세요. 예를 들어 `abs`를 쓰지 말고 매끄러운 두 식 중 하나를 "
    "`torch.where`로 고르세요.")


SIGN = Said("The answer is the expected one with the opposite sign: check the minus signs (e.g. -mean(...) "
            "for a loss, value - alpha*grad for a descent step).",
            "정답과 부호가 반대입니다: 마이너스 부호를 확인하세요 (예: loss는 `-mean(...)`, 경사하강법의 한 걸음은 "
            "`value - alpha*grad`).")
LONG_FLOAT = Said("An integer (Long, int64) tensor where a float is due: torch.tensor([1, 2]) is int64. "
                  "Convert with .float() or create it with dtype=torch.float32.",
                  "실수(float) 텐서여야 할 곳에 정수(Long, int64) 텐서가 있습니다: `torch.tensor([1, 2])`의 dtype은 "
                  "int64입니다. `.float()`로 바꾸거나 `dtype=torch.float32`로 만드세요.")
DOUBLE = Said("float64 where float32 is due: a numpy array (float64 by default) passed through torch.from_numpy, "
              "or dtype=torch.float64, gives float64. Convert with .float() (or .to(torch.float32)).",
              "float32여야 할 곳이 float64입니다: numpy 배열(기본 dtype이 float64)을 `torch.from_numpy`로 바꾸거나 "
              "`dtype=torch.float64`로 만들면 float64가 됩니다. `.float()`(또는 `.to(torch.float32)`)로 바꾸세요.")
KEEP_DTYPE = Said("The input's dtype should be kept: do not cast with .float(); build with torch operations "
                  "on the input (they keep float64).",
                  "입력의 dtype을 그대로 유지해야 합니다: `.float()`로 바꾸지 말고 입력에 torch 연산을 적용하세요 "
                  "(float64가 유지됩니다).")
COLUMN = Said("(n,) and (n,1) are different shapes: a column is x.reshape(-1, 1) (or x.unsqueeze(1)); "
              "x.squeeze() or x.flatten() gives (n,).",
              "`(n,)`과 `(n,1)`은 다른 모양(shape)입니다: 열 벡터는 `x.reshape(-1, 1)`(또는 `x.unsqueeze(1)`)이고, "
              "`x.squeeze()`나 `x.flatten()`의 결과는 `(n,)` 모양입니다.")
SCALAR = Said("A 0-dim tensor is due (what torch.mean(t) returns); reducing one dimension (mean(dim=0)) leaves "
              "shape (1,).",
              "0차원 텐서여야 합니다(`torch.mean(t)`의 결과). 한 축만 줄이면(`mean(dim=0)`) 모양이 `(1,)`로 "
              "남습니다.")
BROADCAST = Said("(n,1) combined with (n,) broadcasts to (n,n): make both columns (reshape(-1, 1)) first.",
                 "`(n,1)`과 `(n,)`을 연산하면 브로드캐스팅되어 `(n,n)`이 됩니다: 먼저 둘 다 열 벡터"
                 "(`reshape(-1, 1)`)로 맞추세요.")


def _dtype_hint(got: torch.dtype, expected: torch.dtype) -> tuple[str, Said] | None:
    if expected.is_floating_point and not got.is_floating_point:
        return "long_vs_float", LONG_FLOAT
    if expected == torch.float32 and got == torch.float64:
        return "float64", DOUBLE
    if expected == torch.float64 and got == torch.float32:
        return "cast_to_float32", KEEP_DTYPE
    return None


def _shape_hint(got: torch.Size, expected: torch.Size) -> tuple[str, Said] | None:
    if len(expected) == 0 and got.numel() == 1:
        return "not_scalar", SCALAR
    if [s for s in got if s != 1] == [s for s in expected if s != 1]:  # only a singleton dimension differs
        return "column_vs_vector", COLUMN
    if len(got) == 2 and got[0] == got[1] == expected[0] and len(expected) <= 2 and expected.numel() == expected[0]:
        return "broadcast", BROADCAST
    return None


def _shape(shape: tuple[int, ...] | torch.Size) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _dtype(dtype: torch.dtype) -> str:
    return str(dtype).replace("torch.", "")


def _expect_tensor(name: Said, facts: dict[str, Any] | None, got: torch.Tensor | None,
                  expected: torch.Tensor, *, rtol: float = 1e-5, atol: float = 1e-6,
                  pitfalls: Sequence[Pitfall] = ()) -> None:
    """Raise CheckFailed unless `got` is a plain tensor equal to `expected` within tolerance.

    `name` says what is compared, in both languages ("The result of sigmoid", "sigmoid의 결과").
    The failure's detail always has both shapes and dtypes; a wrong value adds the first mismatching
    index and the largest errors. A dtype, a shape or a `pitfalls` entry that matches adds a hint.
    """
    try:
        _compare(name, facts, got, expected, rtol=rtol, atol=atol)
    except CheckFailed as failure:
        if got is not None:
            failure.detail = {"expected_shape": list(expected.shape), "got_shape": list(got.shape),
                              "expected_dtype": _dtype(expected.dtype), "got_dtype": _dtype(got.dtype),
                              **failure.detail}
            found = _recognise(failure.kind, got, expected, pitfalls)
            if found and failure.hint is None:
                failure.detail["pitfall"], failure.hint = found
        raise


def _recognise(kind: str, got: torch.Tensor, expected: torch.Tensor, pitfalls: Sequence[Pitfall]
               ) -> tuple[str, Said] | None:
    if kind == "dtype":
        return _dtype_hint(got.dtype, expected.dtype)
    if kind == "shape":
        return _shape_hint(got.shape, expected.shape)
    for pitfall in pitfalls:
        try:
            if pitfall.matches(got, expected):
                return pitfall.tag, pitfall.hint
        except (RuntimeError, ValueError, TypeError):  # a variant of another shape or dtype: not this one
            continue
    return None


def _compare(name: Said, facts: dict[str, Any] | None, got: torch.Tensor | None,
             expected: torch.Tensor, *, rtol: float, atol: float) -> None:
    what, what_ko = name.en, name.ko
    if not facts or facts.get("kind") != "tensor" or got is None:
        kind = (facts or {}).get("kind", "nothing")
        typename = str((facts or {}).get("type", "object"))
        shown = {"none": "None", "object": (facts or {}).get("type", "an object"),
                 "linear": "an nn.Linear"}.get(kind, str(kind))
        shown_ko = {"none": "`None`", "object": f"{code(typename)} 객체",
                    "linear": "`nn.Linear` 객체"}.get(kind, f"{code(kind)} 값")
        raise CheckFailed("not_tensor", Said(
            f"{what} should be a torch.Tensor, but it is {shown}.",
            f"{what_ko}: `torch.Tensor`여야 하는데 {shown_ko}입니다."),
            detail={"got_type": shown})
    if got.dtype != expected.dtype:
        raise CheckFailed("dtype", Said(
            f"{what} has dtype {_dtype(got.dtype)}; expected {_dtype(expected.dtype)}.",
            f"{what_ko}: dtype이 {_dtype(got.dtype)}입니다. 정답의 dtype은 {_dtype(expected.dtype)}입니다."),
            detail={"expected_dtype": _dtype(expected.dtype), "got_dtype": _dtype(got.dtype)})
    if got.shape != expected.shape:
        raise CheckFailed("shape", Said(
            f"{what} has shape {_shape(got.shape)}; expected {_shape(expected.shape)}.",
            f"{what_ko}: 모양(shape)이 {_shape(got.shape)}입니다. 정답의 모양은 {_shape(expected.shape)}입니다."),
            detail={"expected_shape": list(expected.shape), "got_shape": list(got.shape)})
    if got.numel() == 0 or torch.equal(got, expected):  # the same bits: close by any tolerance (NaN never equals)
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
    at_ko = f"인덱스 {list(index)}의 " if index else ""
    if not bool(torch.isfinite(g[index])):
        raise CheckFailed("nan", Said(
            f"{what} contains {float(g[index])}{at} where {float(e[index]):.6g} is expected.",
            f"{what_ko}: {at_ko}값이 {float(g[index])}입니다. 정답은 {float(e[index]):.6g}입니다."),
            detail=detail)
    raise CheckFailed("values", Said(
        f"{what} differs from the expected values{at}: expected {float(e[index]):.6g}, got "
        f"{float(g[index]):.6g} ({detail['mismatches']} of {detail['size']} entries off; "
        f"max abs error {detail['max_abs_error']:.3g}).",
        f"{what_ko}: {at_ko}값이 정답과 다릅니다. 정답 {float(e[index]):.6g}, 제출한 값 {float(g[index]):.6g} "
        f"({detail['size']}개 중 {detail['mismatches']}개 불일치, 최대 절대오차 {detail['max_abs_error']:.3g})."),
        detail=detail)


def expect_tensor(name: Said, facts: dict[str, Any] | None, got: torch.Tensor | None,
                  expected: torch.Tensor, *, rtol: float = 1e-5, atol: float = 1e-6,
                  pitfalls: Sequence[Pitfall] = ()) -> None:
    """Raise CheckFailed unless `got` is a plain tensor equal to `expected` within tolerance (see below)."""
    with phase("comparison"):
        _expect_tensor(name, facts, got, expected, rtol=rtol, atol=atol, pitfalls=pitfalls)


expect_tensor.__doc__ = _expect_tensor.__doc__
