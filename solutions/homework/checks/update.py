"""update(params, alpha) — the manual gradient-descent step. `params` is one tensor with
requires_grad and a populated .grad, or any iterable of them (a list, or a generator such as
net.parameters()). For each: value ← value − alpha·grad, in place (same tensor object, still a
leaf with requires_grad); then its grad is cleared (None or zeros). Returns None."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

from autograder.trusted import strategies as s
from autograder.trusted.compare import Pitfall, expect_tensor, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said

ALPHAS = st.sampled_from([0.1, 0.01, 0.5, 0.001, 1.0])
REBINDING = Said("The parameter did not change: `What = What - alpha * What.grad` makes a new tensor and only "
                 "rebinds the local name; the caller's tensor stays as it was. Update it in place, as in the lecture: "
                 "`What.data = What.data - alpha * What.grad`, or `with torch.no_grad(): What -= alpha * What.grad`.",
                 "파라미터가 바뀌지 않았습니다. 강의에서처럼 텐서 자체를 업데이트하세요: "
                 "`What.data = What.data - alpha * What.grad` 또는 "
                 "`with torch.no_grad(): What -= alpha * What.grad`. `What = What - alpha * What.grad`라고 쓰면 새 "
                 "텐서가 만들어지고 함수 안의 이름 What만 그 새 텐서를 가리키게 되어, 함수를 호출한 쪽의 텐서는 "
                 "그대로 남습니다.")
ASCENT = Said("The step went up the gradient (value + alpha*grad): gradient descent subtracts, "
              "value - alpha*grad.",
              "기울기 방향으로 올라갔습니다(`value + alpha*grad`): 경사하강법은 기울기를 빼야 합니다, "
              "`value - alpha*grad`.")
GRAD_NOT_CLEARED = Said("Clear each gradient after the step (p.grad = None or p.grad.zero_(); with an optimizer, "
                        "optimizer.zero_grad()): backward() adds to .grad, so the next step would use the sum of "
                        "all gradients so far.",
                        "업데이트한 뒤 기울기를 지우세요(`p.grad = None` 또는 `p.grad.zero_()`, 옵티마이저를 쓴다면 "
                        "`optimizer.zero_grad()`): `backward()`는 .grad에 기울기를 더하므로, 지우지 않으면 다음 "
                        "단계에서 지금까지 구한 기울기의 합을 쓰게 됩니다.")


def pitfalls(value: torch.Tensor, grad: torch.Tensor, alpha: float) -> list[Pitfall]:
    return [Pitfall("rebinding", REBINDING, resembles(value)),
            Pitfall("sign", ASCENT, resembles(lambda: value + alpha * grad))]


@st.composite
def leaves(draw: st.DrawFn, *, count: st.SearchStrategy[int], dtypes: tuple[type, ...] = (np.float32,)
           ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(value, grad) pairs of matching shape and dtype."""
    pairs = []
    for _ in range(draw(count)):
        dtype = draw(st.sampled_from(dtypes))
        shape = draw(s.parameter_shapes())
        value = draw(s.tensors(dtypes=(dtype,), shapes=st.just(shape), lo=-10, hi=10))
        grad = draw(s.tensors(dtypes=(dtype,), shapes=st.just(shape), lo=-10, hi=10))
        pairs.append((value, grad))
    return pairs


def observe(trial: Trial, container: str, pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float
            ) -> tuple[dict[str, Any], dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    tensors = {}
    for i, (value, grad) in enumerate(pairs):
        tensors[f"p{i}"], tensors[f"g{i}"] = value, grad
    params = {"container": container, "count": len(pairs), "alpha": alpha}
    (facts, got), (_, expected) = trial.observe("step_in_place", params, tensors)
    return facts, got, expected


def expect_values(trial: Trial, container: str, pairs: list[tuple[torch.Tensor, torch.Tensor]],
                  alpha: float) -> dict[str, Any]:
    facts, got, expected = observe(trial, container, pairs, alpha)
    leaf_facts = facts.get("leaves") or []
    for i in range(len(pairs)):
        name = Said(f"Parameter {i} after update", f"update 함수를 호출한 뒤 {i}번 파라미터")
        expect_tensor(name, {"kind": "tensor"}, got.get(f"value{i}"), expected[f"value{i}"], rtol=1e-5, atol=1e-6,
                      pitfalls=pitfalls(*pairs[i], alpha))
    if len(leaf_facts) != len(pairs):
        raise CheckFailed("protocol", Said("update's parameters could not be inspected.",
                                           "update 함수를 호출한 뒤 파라미터를 확인할 수 없었습니다."))
    return {"facts": leaf_facts, "got": got, "returned": facts.get("returned") or {}}


def expect_cleared(observed: dict[str, Any], pairs: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
    for i, leaf in enumerate(observed["facts"]):
        grad = leaf.get("grad", {})
        if grad.get("kind") == "none":
            continue
        value = observed["got"].get(f"grad{i}")
        if grad.get("kind") == "tensor" and value is not None and not bool(value.abs().sum() != 0):
            continue
        raise CheckFailed("grad_not_cleared", Said(
            f"After update, parameter {i}'s .grad still holds the old gradient.",
            f"update 함수를 호출한 뒤에도 {i}번 파라미터의 .grad에 이전 기울기가 남아 있습니다."),
            detail={"pitfall": "grad_not_cleared"}, hint=GRAD_NOT_CLEARED)


@check("update", points=3, public=True,
       title_ko="텐서 하나: `value - alpha*grad`를 제자리에서 계산하는지",
       spec="One manual gradient-descent step: value <- value - alpha * grad, in place, then clear the grad.")
def one_tensor(trial: Trial) -> None:
    """One tensor: value - alpha*grad, in place"""
    @trial.given(pairs=leaves(count=st.just(1)), alpha=ALPHAS)
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float) -> None:
        with trial.trying(value=pairs[0][0], grad=pairs[0][1], alpha=alpha):
            expect_values(trial, "tensor", pairs, alpha)
    prop()


@check("update", points=2, public=True,
       title_ko="텐서 리스트: 텐서마다 업데이트하는지",
       spec="params: one tensor with requires_grad=True and a populated .grad, or an iterable of them (a "
            "list, or a generator such as net.parameters()).")
def list_of_tensors(trial: Trial) -> None:
    """A list of tensors: each one updated"""
    @trial.given(pairs=leaves(count=st.integers(1, 3)), alpha=ALPHAS)
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float) -> None:
        with trial.trying(**{f"p{i}": v for i, (v, _) in enumerate(pairs)}, alpha=alpha):
            expect_values(trial, "list", pairs, alpha)
    prop()


@check("update", points=2, public=True,
       title_ko="업데이트한 뒤 텐서마다 .grad를 지우는지",
       spec=("One manual gradient-descent step: value <- value - alpha * grad, in place, then clear the grad.",
             "Each tensor stays the same object, still a leaf with requires_grad=True; afterwards its .grad "
             "is None or zeros."), side_effect=True)
def clears_grad(trial: Trial) -> None:
    """Each .grad is cleared after the step"""
    @trial.given(pairs=leaves(count=st.integers(1, 2)), alpha=ALPHAS, container=st.sampled_from(["tensor", "list"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        if container == "tensor":
            pairs = pairs[:1]
        with trial.trying(container=container, alpha=alpha):
            expect_cleared(trial.right_first(lambda: expect_values(trial, container, pairs, alpha)), pairs)
    prop()


@check("update", points=3, public=True,
       title_ko=("제너레이터(nn.Linear의 parameters() 포함): 한 번만 읽어 "
                 "모든 파라미터를 업데이트하고 기울기를 지우는지"),
       spec="params: one tensor with requires_grad=True and a populated .grad, or an iterable of them (a "
            "list, or a generator such as net.parameters()).")
def generator_of_parameters(trial: Trial) -> None:
    """A generator (and nn.Linear's parameters()): read once, every parameter updated and cleared"""
    @trial.given(pairs=leaves(count=st.integers(1, 3)), alpha=ALPHAS)
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float) -> None:
        with trial.trying(container="generator", alpha=alpha):
            expect_cleared(expect_values(trial, "generator", pairs, alpha), pairs)
    prop()
    linear = [(torch.tensor([[0.5, -1.5]]), torch.tensor([[0.25, 2.0]])), (torch.tensor([0.3]), torch.tensor([-1.0]))]
    with trial.trying(container="nn.Linear(2, 1).parameters()", alpha=0.1):
        expect_cleared(expect_values(trial, "linear", linear, 0.1), linear)


@check("update", points=2, public=False,
       title_ko="파라미터가 requires_grad인 leaf 텐서로 남는지 (그래야 다음 backward가 닿습니다)",
       spec="Each tensor stays the same object, still a leaf with requires_grad=True; afterwards its .grad "
            "is None or zeros.", side_effect=True)
def stays_a_leaf(trial: Trial) -> None:
    """Parameters stay leaves that require grad (so the next backward reaches them)"""
    @trial.given(pairs=leaves(count=st.integers(1, 2)), alpha=ALPHAS,
                 container=st.sampled_from(["tensor", "list", "generator"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        if container == "tensor":
            pairs = pairs[:1]
        with trial.trying(container=container, alpha=alpha):
            observed = trial.right_first(lambda: expect_values(trial, container, pairs, alpha))
            for i, leaf in enumerate(observed["facts"] or [{}]):
                if not (leaf.get("is_leaf") and leaf.get("requires_grad")):
                    raise CheckFailed("not_leaf", Said(
                        f"After update, parameter {i} is no longer a leaf that requires grad; update it "
                        "in place under torch.no_grad() (or through .data).",
                        f"update 함수를 호출한 뒤 {i}번 파라미터가 더 이상 requires_grad인 leaf 텐서(직접 만든 "
                        "텐서로, 다음 backward가 .grad를 채워 주는 텐서)가 아닙니다. `torch.no_grad()` 안에서(또는 "
                        "`.data`로) 텐서 자체를 업데이트하세요."))
    prop()


@check("update", points=2, public=False,
       title_ko="float64 파라미터와 강의와 다른 학습률",
       spec="One manual gradient-descent step: value <- value - alpha * grad, in place, then clear the grad.")
def float64_and_other_alphas(trial: Trial) -> None:
    """float64 parameters and learning rates other than the lecture's"""
    @trial.given(pairs=leaves(count=st.integers(1, 3), dtypes=(np.float64,)),
                 alpha=st.sampled_from([0.3, 0.05, 2.0, 1e-4]), container=st.sampled_from(["list", "generator"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        with trial.trying(container=container, alpha=alpha):
            expect_values(trial, container, pairs, alpha)
    prop()


RETURN_NONE = Said("update changes the tensors it was given and returns nothing: end it without a return value (the "
                   "caller keeps using its own tensors; returning them invites `What = update(What, alpha)`).",
                   "update 함수는 받은 텐서를 바꾸기만 하고 아무것도 반환하지 않습니다: `return` 없이 끝내세요 "
                   "(호출한 쪽은 자기 텐서를 그대로 씁니다. 무언가를 반환하면 `What = update(What, alpha)`처럼 "
                   "쓰기 쉽습니다).")


@check("update", points=1, public=True, title_ko="None을 반환하는지", spec="Returns None.", side_effect=True)
def returns_none(trial: Trial) -> None:
    """update returns None"""
    @trial.given(pairs=leaves(count=st.integers(1, 2)), alpha=ALPHAS, container=st.sampled_from(["tensor", "list"]))
    def prop(pairs: list[tuple[torch.Tensor, torch.Tensor]], alpha: float, container: str) -> None:
        if container == "tensor":
            pairs = pairs[:1]
        with trial.trying(container=container, alpha=alpha):
            returned = trial.right_first(expect_values, trial, container, pairs, alpha)["returned"]
            if returned.get("kind") != "none":
                kind = str(returned.get("kind"))
                shown = "a tensor" if kind == "tensor" else f"a {returned.get('type', 'value')}"
                shown_ko = "텐서를" if kind == "tensor" else f"`{returned.get('type', '?')}` 값을"
                raise CheckFailed("returned", Said(f"update returned {shown}; it must return None.",
                                                   f"update 함수가 {shown_ko} 반환했습니다. None을 반환해야 합니다."),
                                  detail={"pitfall": "returns_value"}, hint=RETURN_NONE)
    prop()
