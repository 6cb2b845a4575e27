"""mse_loss(yhat, y) — the mean squared error mean((y − ŷ)²) of two tensors of the same shape, float32 or
float64; returns a 0-dim tensor equal to torch.nn.MSELoss()(yhat, y), differentiable w.r.t. yhat; raises
ValueError (naming both shapes) when the shapes differ, instead of broadcasting (n,) against (n,1)."""

from __future__ import annotations

import torch
from hypothesis import strategies as st

from autograder.trusted import strategies as s
from autograder.trusted.compare import Pitfall, resembles, scaled
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said

SQUARE_OF_MEAN = Said("This is the square of the mean error, `torch.mean(y - yhat) ** 2`: positive and negative "
                      "errors cancel. MSE is the mean of the squares: `torch.mean((y - yhat) ** 2)`.",
                      "평균 오차의 제곱 `torch.mean(y - yhat) ** 2`를 계산했습니다: 양의 오차와 음의 오차가 서로 "
                      "상쇄됩니다. MSE는 제곱의 평균입니다: `torch.mean((y - yhat) ** 2)`.")
ROOT = Said("This is the root of the MSE (RMSE): leave out the square root.",
            "MSE의 제곱근(평균 제곱근 오차)을 계산했습니다: 제곱근은 씌우지 마세요.")
ABSOLUTE = Said("This is the mean absolute error: square the errors, `torch.mean((y - yhat) ** 2)`.",
                "평균 절대 오차를 계산했습니다. 오차를 제곱하세요: `torch.mean((y - yhat) ** 2)`.")
ITEM = Said("Return the tensor itself: `.item()` (or `float()`) gives a Python number, which is not a tensor and "
            "has no gradient, so `loss.backward()` cannot run.",
            "텐서를 그대로 반환하세요: `.item()`이나 `float()`는 파이썬 숫자를 주는데, 이것은 텐서가 아니고 기울기도 "
            "없어서 `loss.backward()`를 호출할 수 없습니다.")
RAISE = Said("Different shapes must raise `ValueError`: `if yhat.shape != y.shape: raise ValueError(f\"... "
             "{yhat.shape} ... {y.shape}\")`. An `assert` raises `AssertionError`, and torch's own exception for "
             "shapes that cannot broadcast is a `RuntimeError`.",
             "모양이 다르면 `ValueError`를 일으켜야 합니다: `if yhat.shape != y.shape: raise ValueError(f\"... "
             "{yhat.shape} ... {y.shape}\")`. `assert`는 `AssertionError`를 일으키고, 브로드캐스팅할 수 없는 "
             "모양에서 torch가 일으키는 예외는 `RuntimeError`입니다.")
BROADCAST_TRAP = Said("The lecture's trap: (n,) minus (n,1) broadcasts to an (n,n) matrix with no error, and its "
                      "mean is a wrong loss. Compare `yhat.shape` with `y.shape` first and raise `ValueError` when "
                      "they differ.",
                      "강의에서 본 함정입니다: (n,)에서 (n,1)을 빼면 예외 없이 (n,n) 행렬로 브로드캐스팅되고, 그 "
                      "평균은 틀린 loss입니다. 먼저 `yhat.shape`와 `y.shape`를 비교하고, 다르면 `ValueError`를 "
                      "일으키세요.")
RESHAPED = Said("Do not `reshape` one of them to make the shapes agree: a shape mismatch is a mistake of the caller "
                "(the lecture's trap), and the contract is to refuse it with `ValueError`.",
                "모양을 맞추려고 한쪽을 `reshape`하지 마세요: 모양이 다른 것은 호출한 쪽의 실수(강의의 함정)이고, "
                "이 함수가 약속한 것은 `ValueError`로 거부하는 것입니다.")


def pitfalls(yhat: torch.Tensor, y: torch.Tensor) -> list[Pitfall]:
    """Sum for mean (n times too large), the square of the mean, the root, the absolute error."""
    n = y.numel()
    sum_hint = Said(f"The loss is {n} times too large: that is the sum of the {n} squared errors. MSE is their "
                    "mean (`torch.mean`), like `torch.nn.MSELoss()`.",
                    f"loss가 {n}배 큽니다: 제곱 오차 {n}개의 합(sum)입니다. MSE는 평균(`torch.mean`)이고, "
                    "`torch.nn.MSELoss()`와 같아야 합니다.")
    return [Pitfall("sum_not_mean", sum_hint, scaled(n)),
            Pitfall("square_of_mean", SQUARE_OF_MEAN, resembles(lambda: torch.mean(y - yhat) ** 2)),
            Pitfall("root", ROOT, resembles(lambda: torch.sqrt(torch.mean((y - yhat) ** 2)))),
            Pitfall("absolute", ABSOLUTE, resembles(lambda: torch.mean(torch.abs(y - yhat))))]


@st.composite
def same_shape(draw: st.DrawFn, *, shapes: st.SearchStrategy[tuple[int, ...]], lo: float = -100, hi: float = 100
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """yhat and y of one shape and one dtype (float32 or float64)."""
    dtype = draw(st.sampled_from(s.FLOAT_DTYPES))
    shape = draw(shapes)
    one = s.tensors(dtypes=(dtype,), shapes=st.just(shape), lo=lo, hi=hi)
    return draw(one), draw(one)


def _with_item_hint(run: object) -> None:
    try:
        run()  # type: ignore[operator]
    except CheckFailed as failure:
        if failure.kind == "not_tensor" and failure.detail.get("got_type") in {"float", "int"}:
            failure.hint, failure.detail["pitfall"] = ITEM, "item"
        raise


def expect_refusal(trial: Trial, yhat: torch.Tensor, y: torch.Tensor) -> None:
    """mse_loss(yhat, y) with different shapes raises ValueError, as the reference does."""
    tensors = {"a0": yhat, "a1": y}
    (facts, got), (reference, _) = trial.observe_allowing_errors("call", {"args": ["a0", "a1"], "kwargs": {}},
                                                                 tensors)
    assert reference.get("error", {}).get("type") == "ValueError", "the reference must refuse different shapes"
    error = facts.get("error")
    if error:
        if error.get("type") == "ValueError":
            return
        failure = trial.raised(error)
        if failure.kind == "error":
            failure.kind, failure.hint, failure.detail["pitfall"] = "wrong_exception", RAISE, "not_value_error"
        raise failure
    shapes = f"yhat of shape {tuple(yhat.shape)} and y of shape {tuple(y.shape)}"
    shapes_ko = f"모양 {tuple(yhat.shape)}인 yhat과 모양 {tuple(y.shape)}인 y"
    failure = CheckFailed("no_error", Said(
        f"mse_loss returned a result for {shapes}; it must raise `ValueError` when the shapes differ.",
        f"mse_loss가 {shapes_ko}에 대해 결과를 반환했습니다. 모양이 다르면 `ValueError`를 일으켜야 합니다."),
        detail={"pitfall": "no_shape_check"}, hint=RAISE)
    result = got.get("out")
    if result is not None and yhat.numel() == y.numel():
        broadcast = torch.mean((y - yhat) ** 2) if _broadcastable(yhat, y) else None
        if broadcast is not None and _close(result, broadcast):
            failure.hint = BROADCAST_TRAP
        elif _close(result, torch.mean((y.reshape(-1) - yhat.reshape(-1)) ** 2)):
            failure.hint, failure.detail["pitfall"] = RESHAPED, "reshaped_instead"
    raise failure


def _broadcastable(a: torch.Tensor, b: torch.Tensor) -> bool:
    try:
        torch.broadcast_shapes(a.shape, b.shape)
    except RuntimeError:
        return False
    return True


def _close(got: torch.Tensor, made: torch.Tensor) -> bool:
    """The answer is this computation, reproduced here on the same input."""
    return got.shape == made.shape and bool(torch.allclose(got.double(), made.double(), rtol=1e-4, atol=1e-5))


@check("mse_loss",
       title_ko="평균 제곱 오차를 0차원 텐서로: float32와 float64, 모양 (n,1)과 (n,)",
       points=3, public=True,
       spec=("The mean squared error `mean((y - yhat)^2)`.",
             "yhat, y: tensors of the same shape (for example (n,1)), dtype float32 or float64.",
             "Returns: a 0-dim tensor equal to `torch.nn.MSELoss()(yhat, y)`, differentiable with "
             "respect to yhat."))
def values(trial: Trial) -> None:
    """The mean squared error as a 0-dim tensor, float32 and float64, shapes (n,1) and (n,)"""
    @trial.given(pair=same_shape(shapes=s.columns()))
    def prop(pair: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = pair
        with trial.trying(yhat=yhat, y=y):
            _with_item_hint(lambda: trial.same_output(yhat, y, pitfalls=pitfalls(yhat, y)))
    prop()


@check("mse_loss",
       title_ko="yhat에 대한 기울기가 `torch.nn.MSELoss()`의 기울기와 같은지",
       points=2, public=True,
       spec=("Returns: a 0-dim tensor equal to `torch.nn.MSELoss()(yhat, y)`, differentiable with "
             "respect to yhat."))
def gradient(trial: Trial) -> None:
    """The gradient with respect to yhat matches `torch.nn.MSELoss()`'s"""
    @trial.given(pair=same_shape(shapes=s.columns(), lo=-10, hi=10))
    def prop(pair: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = pair
        with trial.trying(yhat=yhat, y=y):
            _with_item_hint(lambda: trial.same_gradient(yhat, y, pitfalls=pitfalls(yhat, y),
                                                        grad_pitfalls=pitfalls(yhat, y)))
    prop()


@check("mse_loss",
       title_ko="yhat (n,1)과 y (n,), yhat (n,)과 y (n,1): (n,n)으로 브로드캐스팅하지 않고 `ValueError`",
       points=3, public=True,
       spec=("If yhat and y have different shapes, raise `ValueError`; say both shapes in the message."))
def refuses_the_broadcasting_trap(trial: Trial) -> None:
    """yhat (n,1) with y (n,), and yhat (n,) with y (n,1): `ValueError`, not an (n,n) broadcast"""
    yhat = torch.tensor([[0.5], [1.0], [2.0], [-1.0], [3.5]])
    y = torch.tensor([1.0, 1.5, 1.0, 0.0, 3.0])
    for a, b in ((yhat, y), (yhat.reshape(-1), y.reshape(-1, 1))):
        with trial.trying(yhat=a, y=b):
            expect_refusal(trial, a, b)


@check("mse_loss",
       title_ko="0차원부터 3차원까지 모든 모양, 그리고 `(2,3)`/`(3,2)`, `(n,1)`/`(m,1)`, `(n,)`/`(1,n)`처럼 "
                "다른 모양",
       points=2, public=False,
       spec=("The mean squared error `mean((y - yhat)^2)`.",
             "yhat, y: tensors of the same shape (for example (n,1)), dtype float32 or float64.",
             "If yhat and y have different shapes, raise `ValueError`; say both shapes in the message."))
def other_shapes(trial: Trial) -> None:
    """Any shape from 0-dim to 3-dim; mismatches such as `(2,3)`/`(3,2)`, `(n,1)`/`(m,1)`, `(n,)`/`(1,n)`"""
    @trial.given(pair=same_shape(shapes=s.any_shape()))
    def prop(pair: tuple[torch.Tensor, torch.Tensor]) -> None:
        yhat, y = pair
        with trial.trying(yhat=yhat, y=y):
            _with_item_hint(lambda: trial.same_output(yhat, y, pitfalls=pitfalls(yhat, y)))
    prop()
    for a, b in [((2, 3), (3, 2)), ((4, 1), (3, 1)), ((4,), (1, 4)), ((4, 1), (1, 4)), ((), (1,)), ((6,), (6, 1, 1))]:
        yhat, y = torch.linspace(-1, 1, int(torch.Size(a).numel())).reshape(a), torch.ones(b)
        with trial.trying(yhat=yhat, y=y):
            expect_refusal(trial, yhat, y)
