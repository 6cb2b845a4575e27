"""to_column(values) — values: a list of numbers, a numpy array of shape (n,) or (n,1) of any numeric
dtype (bool, integer or floating), or a tensor of shape (n,) or (n,1) (it may require grad); n ≥ 1.
Returns a new (n,1) float32 tensor with requires_grad=False holding the values in order; it shares no
memory with values (writing to the result leaves values unchanged). Does not modify values."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.trusted import strategies as s
from autograder.trusted.compare import expect_tensor
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said, code

ROW = Said("The result is a row (1,n); a column is (n,1): `reshape(-1, 1)`, not `reshape(1, -1)`.",
           "결과가 행 (1,n)입니다. 열은 (n,1)입니다: `reshape(1, -1)`이 아니라 `reshape(-1, 1)`을 쓰세요.")
SHARES = Said("`torch.from_numpy(a)` (and `torch.as_tensor`, or reshaping a tensor you were given) does not copy: "
              "the result uses the input's memory, so writing to it changes the caller's data. Copy: "
              "`torch.tensor(np.asarray(values), dtype=torch.float32)`, or add `.clone()`.",
              "`torch.from_numpy(a)`는 복사하지 않습니다(`torch.as_tensor`나, 받은 텐서의 모양만 `reshape`로 바꾼 "
              "것도 마찬가지입니다): 결과가 입력의 메모리를 같이 쓰므로 결과에 값을 쓰면 호출한 쪽의 데이터가 "
              "바뀝니다. 복사하세요: `torch.tensor(np.asarray(values), dtype=torch.float32)`를 쓰거나 "
              "`.clone()`을 붙이세요.")
DETACH = Said("The result still requires grad (`requires_grad=True`): it was computed from the input tensor. Data are "
              "not parameters: start from `values.detach()` (then `.clone()`).",
              "결과가 아직 `requires_grad=True`입니다: 입력 텐서에서 계산되었기 때문입니다. 데이터는 파라미터가 "
              "아닙니다: `values.detach()`에서 시작하세요(그다음 `.clone()`).")
NUMPY_TO_TORCH = Said("numpy keeps its own dtype (`np.array([1, 2, 3])` is int64, `np.array([1., 2.])` float64) and "
                      "`torch.tensor` keeps it too: ask for float32 (`dtype=torch.float32`, or `.float()`).",
                      "numpy는 자기 dtype을 유지하고(`np.array([1, 2, 3])`은 int64, `np.array([1., 2.])`는 "
                      "float64), `torch.tensor`도 그 dtype을 그대로 가져옵니다: float32로 만드세요"
                      "(`dtype=torch.float32` 또는 `.float()`).")
AS = {"list": "a Python list", "numpy": "a numpy array", "tensor": "a tensor"}
AS_KO = {"list": "파이썬 리스트", "numpy": "numpy 배열", "tensor": "텐서"}


def handed(values: torch.Tensor, kind: str, requires_grad: bool = False) -> Any:
    """What the probe hands over, to show the student (the same conversion the probe makes)."""
    if kind == "list":
        return values.tolist()
    if kind == "numpy":
        return values.numpy().copy()
    return values.clone().requires_grad_(requires_grad)


def expect_column(trial: Trial, values: torch.Tensor, kind: str, *, requires_grad: bool = False,
                  memory: bool = False) -> None:
    """to_column(values handed over as `kind`) is the reference's column; with `memory`, writing to it leaves the
    input alone. The call never modifies the input."""
    params = {"as": kind, "requires_grad": requires_grad}
    with trial.trying(values=handed(values, kind, requires_grad)):
        (facts, got), (_, expected) = trial.observe("handed_over", params, {"values": values})
        out = facts.get("out") or {}
        try:
            expect_tensor(trial.result_name, out, got.get("out"), expected["out"])
        except CheckFailed as failure:
            result = got.get("out")
            if failure.kind == "shape" and result is not None and tuple(result.shape) == (1, values.numel()) \
                    and values.numel() > 1:
                failure.hint, failure.detail["pitfall"] = ROW, "row_vs_column"
            elif failure.kind == "dtype" and kind == "numpy" and failure.hint is not None:
                failure.hint = NUMPY_TO_TORCH
            raise
        if out.get("requires_grad"):
            raise CheckFailed("requires_grad", Said(
                f"The result of to_column requires grad (the input was {AS[kind]} with `requires_grad=True`).",
                f"to_column의 결과가 `requires_grad=True`입니다(입력: `requires_grad=True`인 {AS_KO[kind]})."),
                detail={"pitfall": "requires_grad"}, hint=DETACH)
        trial.expect_unchanged(got, {"values": (expected["values_after_call"], "values_after_call")})
        if not memory:
            return
        if facts.get("write_error"):
            raise CheckFailed("not_writable", Said(
                f"The result of to_column cannot be written to: {code(facts['write_error'])}",
                f"to_column의 결과에 값을 쓸 수 없습니다: {code(facts['write_error'])}"))
        after = got.get("values_after_write")
        if after is None or not torch.equal(after, expected["values_after_write"]):
            raise CheckFailed("shares_memory", Said(
                f"Writing to the result of to_column changed its input ({AS[kind]}): the two share memory.",
                f"to_column의 결과에 값을 썼더니 입력({AS_KO[kind]})이 바뀌었습니다: 둘이 메모리를 공유합니다."),
                detail={"pitfall": "shares_memory"}, hint=SHARES)


def _arrays(dtype: type, elements: st.SearchStrategy[Any]) -> st.SearchStrategy[torch.Tensor]:
    """Arrays of a dtype the shared strategies do not draw (bool, float16), shape (n,) or (n,1)."""
    return s.columns().flatmap(lambda shape: hnp.arrays(dtype, shape, elements=elements)).map(
        lambda a: torch.from_numpy(a.copy()))


@check("to_column",
       title_ko="강의의 예: `[1, 2, 3]`, `np.array([1., 2.])`(float64), int64 열, float 텐서",
       points=2, public=True,
       spec=("Turn numbers into a new column tensor of shape (n,1) and dtype float32.",
             "Returns: a new (n,1) float32 tensor with `requires_grad=False`, holding the values in "
             "order."))
def lecture_examples(trial: Trial) -> None:
    """The lecture's examples: `[1, 2, 3]`, `np.array([1., 2.])` (float64), an int64 column, a float tensor"""
    expect_column(trial, torch.tensor([1, 2, 3]), "list")
    expect_column(trial, torch.tensor([1.0, 2.0], dtype=torch.float64), "numpy")
    expect_column(trial, torch.tensor([[1], [2], [3]]), "numpy")
    expect_column(trial, torch.tensor([0.5, 1.5, 2.5]), "tensor")


@check("to_column",
       title_ko="numpy 배열(float64, float32, int64), 모양 (n,)과 (n,1)",
       points=3, public=True,
       spec=("Turn numbers into a new column tensor of shape (n,1) and dtype float32.",
             "values: a list of numbers, a numpy array of shape (n,) or (n,1) of any numeric dtype "
             "(bool, integer or floating), or a tensor of shape (n,) or (n,1) (it may require grad). n "
             ">= 1."))
def numpy_arrays(trial: Trial) -> None:
    """numpy arrays, float64, float32 and int64, of shape (n,) and (n,1)"""
    @trial.given(values=s.tensors(dtypes=(np.float64, np.float32, np.int64), shapes=s.columns(), lo=-1000, hi=1000))
    def prop(values: torch.Tensor) -> None:
        expect_column(trial, values, "numpy")
    prop()


@check("to_column",
       title_ko="int와 float의 리스트, float32, float64, int64 텐서(`requires_grad=True`인 것 포함)",
       points=2, public=True,
       spec=("Turn numbers into a new column tensor of shape (n,1) and dtype float32.",
             "values: a list of numbers, a numpy array of shape (n,) or (n,1) of any numeric dtype "
             "(bool, integer or floating), or a tensor of shape (n,) or (n,1) (it may require grad). n "
             ">= 1.",
             "Returns: a new (n,1) float32 tensor with `requires_grad=False`, holding the values in "
             "order."))
def lists_and_tensors(trial: Trial) -> None:
    """Lists of ints and floats; float32, float64 and int64 tensors, some with `requires_grad=True`"""
    @trial.given(values=s.tensors(dtypes=(np.float64, np.int64), shapes=st.integers(1, 40).map(lambda n: (n,)),
                                  lo=-1000, hi=1000))
    def lists(values: torch.Tensor) -> None:
        expect_column(trial, values, "list")
    lists()

    @trial.given(values=s.tensors(dtypes=(np.float32, np.float64, np.int64), shapes=s.columns(), lo=-1000, hi=1000),
                 requires_grad=st.booleans())
    def tensors(values: torch.Tensor, requires_grad: bool) -> None:
        expect_column(trial, values, "tensor", requires_grad=requires_grad and values.is_floating_point())
    tensors()


@check("to_column",
       title_ko="결과에 값을 써도 넘긴 float32 배열이나 텐서가 바뀌지 않는지",
       points=2, public=True,
       spec=("Do not modify values.",
             "The result must share no memory with values: writing to the result leaves values "
             "unchanged."))
def no_shared_memory(trial: Trial) -> None:
    """Writing to the result leaves the caller's float32 array or tensor unchanged"""
    @trial.given(values=s.tensors(dtypes=(np.float32,), shapes=s.columns(), lo=-100, hi=100),
                 kind=st.sampled_from(["numpy", "tensor"]), requires_grad=st.booleans())
    def prop(values: torch.Tensor, kind: str, requires_grad: bool) -> None:
        expect_column(trial, values, kind, requires_grad=requires_grad and kind == "tensor", memory=True)
    prop()


@check("to_column",
       title_ko="bool, uint8, int32, float16 배열, bool 텐서, 숫자 하나",
       points=1, public=False,
       spec=("values: a list of numbers, a numpy array of shape (n,) or (n,1) of any numeric dtype "
             "(bool, integer or floating), or a tensor of shape (n,) or (n,1) (it may require grad). n "
             ">= 1.",
             "Returns: a new (n,1) float32 tensor with `requires_grad=False`, holding the values in "
             "order."))
def other_dtypes(trial: Trial) -> None:
    """bool, uint8, int32 and float16 arrays, bool tensors, a single number"""
    @trial.given(values=st.one_of(_arrays(np.bool_, st.booleans()),
                                  s.tensors(dtypes=(np.uint8,), shapes=s.columns(), lo=0, hi=255),
                                  s.tensors(dtypes=(np.int32,), shapes=s.columns(), lo=-10**6, hi=10**6),
                                  _arrays(np.float16, st.floats(-100, 100, width=16, allow_subnormal=False))),
                 kind=st.sampled_from(["numpy", "numpy", "tensor"]))
    def prop(values: torch.Tensor, kind: str) -> None:
        expect_column(trial, values, kind, memory=True)
    prop()
    expect_column(trial, torch.tensor([7.25], dtype=torch.float64), "numpy", memory=True)
