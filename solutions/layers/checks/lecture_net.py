"""lecture_net(bias) — the lecture's starting network, intercept -5 and slope 10.
bias=False: nn.Linear(2, 1, bias=False) for X = [1, x], weight [[-5., 10.]] of shape (1,2), no bias.
bias=True: nn.Linear(1, 1) for x, weight [[10.]] of shape (1,1), bias [-5.] of shape (1,).
All parameters are float32 leaves with requires_grad=True; the result does not depend on the random state."""

from __future__ import annotations

import torch

from assignments.layers.data import design, regression_data
from autograder.trusted.compare import Pitfall, expect_tensor, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said, code

FLAT_WEIGHT = Said("The weight has shape (2,): `torch.tensor([-5., 10.])` is a vector. `nn.Linear(2, 1)` keeps its "
                   "weight as `(out_features, in_features)` = (1,2): `torch.tensor([[-5., 10.]])`. With (2,) "
                   "`net(X)` has shape (n,), not (n,1).",
                   "weight의 모양이 (2,)입니다: `torch.tensor([-5., 10.])`은 벡터입니다. `nn.Linear(2, 1)`의 weight "
                   "모양은 `(out_features, in_features)` = (1,2)입니다: `torch.tensor([[-5., 10.]])`. 모양이 (2,)이면 "
                   "`net(X)`의 모양이 (n,1)이 아니라 (n,)이 됩니다.")
SCALAR_BIAS = Said("The bias has shape (); `nn.Linear(1, 1)` keeps it as `(out_features,)` = (1,): "
                   "`torch.tensor([-5.])`, not `torch.tensor(-5.)`.",
                   "bias의 모양이 ()입니다. `nn.Linear(1, 1)`의 bias 모양은 `(out_features,)` = (1,)입니다: "
                   "`torch.tensor(-5.)`가 아니라 `torch.tensor([-5.])`입니다.")
TWO_INTERCEPTS = Said("`X = [1, x]` already has its column of ones, whose weight -5 is the intercept; a bias is a "
                      "second, random intercept. Use `nn.Linear(2, 1, bias=False)`.",
                      "`X = [1, x]`에는 이미 1로 채운 열이 있고, 그 열의 weight -5가 절편입니다. bias를 켜면 난수로 "
                      "시작하는 절편이 하나 더 생깁니다. `nn.Linear(2, 1, bias=False)`를 쓰세요.")
NO_BIAS = Said("With `bias=True` the input is x alone, so the intercept -5 is the bias: `nn.Linear(1, 1)` (bias on).",
               "`bias=True`이면 입력이 x 하나뿐이므로 절편 -5는 bias입니다: `nn.Linear(1, 1)`(bias를 켠 채로).")
SWAPPED = Said("The intercept and the slope are swapped: the line starts at `-5 + 10x`, so the bias (intercept) "
               "is -5 and the weight (slope) is 10.",
               "절편과 기울기가 바뀌었습니다: 시작 직선은 `-5 + 10x`이므로 bias(절편)가 -5, weight(기울기)가 "
               "10입니다.")
NOT_LEAF = Said("Set the values in place, not by computing a new tensor: `with torch.no_grad(): "
                "net.weight.copy_(...)` (or `net.weight.data = ...` with the right shape).",
                "새 텐서를 계산해서 넣지 말고 제자리에서 값을 넣으세요: `with torch.no_grad(): net.weight.copy_(...)` "
                "(또는 모양을 맞춘 `net.weight.data = ...`).")
RANDOM = Said("Some values come from nn.Linear's random initialisation: overwrite every parameter (weight and "
              "bias) so the net is the same whatever `torch.manual_seed` was.",
              "일부 값이 nn.Linear가 난수로 정한 초깃값 그대로입니다: 모든 파라미터(weight와 bias)를 덮어써서 "
              "`torch.manual_seed`와 상관없이 같은 네트워크가 되게 하세요.")
NAMES = {"weight": Said("The weight", "weight"), "bias": Said("The bias", "bias")}


def returned(facts: dict[str, object]) -> tuple[str, str]:
    """What a function returned instead of a net, in English and in Korean (with its object particle)."""
    if facts.get("type"):
        return code(facts["type"]), f"{code(facts['type'])} 객체를"
    return {"none": ("None", "`None`을"), "tensor": ("a tensor", "텐서를")}.get(
        str(facts.get("kind")), ("something else", "다른 것을"))


def inputs(bias: bool) -> torch.Tensor:
    """What the net is called on, to show its output: x for bias=True, X = [1, x] for bias=False."""
    x, _ = regression_data(n=5, seed=3)
    return x if bias else design(x)


def expect_net(trial: Trial, bias: bool, seed: int) -> None:
    """lecture_net(bias), built with the global RNG seeded with `seed`, is the reference's net."""
    (facts, got), (reference, expected) = trial.observe("build", {"args": [bias], "seed": seed},
                                                        {"inputs": inputs(bias)})
    out, wanted = facts.get("out") or {}, reference["out"]
    shape = f"Linear({wanted['in_features']}, {wanted['out_features']}{'' if bias else ', bias=False'})"
    if out.get("kind") != "module" or not out.get("linear"):
        shown, shown_ko = returned(out)
        raise CheckFailed("not_linear", Said(f"lecture_net should return a torch.nn.Linear, but it returned {shown}.",
                                             f"lecture_net은 torch.nn.Linear를 반환해야 하는데 {shown_ko} "
                                             "반환했습니다."))
    if (out.get("in_features"), out.get("out_features")) != (wanted["in_features"], wanted["out_features"]):
        layer = f"Linear({out.get('in_features')}, {out.get('out_features')})"
        raise CheckFailed("shape", Said(f"The returned layer is {code(layer)}; expected {code(shape)}.",
                                        f"반환한 nn.Linear가 {code(layer)}입니다. 정답은 {code(shape)}입니다."))
    names, wanted_names = set(out.get("parameters") or {}), set(wanted["parameters"])
    if names != wanted_names:
        extra = "bias" in names and "bias" not in wanted_names
        has = f"네트워크의 파라미터가 {', '.join(sorted(names))}입니다" if names else "네트워크에 파라미터가 없습니다"
        raise CheckFailed("parameters", Said(
            f"The net has the parameters {', '.join(sorted(names)) or 'none'}; expected "
            f"{', '.join(sorted(wanted_names))} ({code(shape)}).",
            f"{has}. 정답은 {', '.join(sorted(wanted_names))}입니다({code(shape)})."),
            detail={"pitfall": "two_intercepts" if extra else "no_bias"}, hint=TWO_INTERCEPTS if extra else NO_BIAS)
    for name in ("weight", "bias"):
        if name not in wanted_names:
            continue
        key = f"param:{name}"
        start = expected[key]
        swapped = (torch.tensor([[-5.0]]) if name == "weight" else torch.tensor([10.0])) if bias else start.flip(-1)
        try:
            expect_tensor(NAMES[name], out["parameters"][name], got.get(key), start, rtol=0, atol=0,
                          pitfalls=[Pitfall("swapped_values", SWAPPED, resembles(swapped))])
        except CheckFailed as failure:
            found = got.get(key)
            if failure.kind == "shape" and found is not None:
                if name == "weight" and found.dim() == 1:
                    failure.hint, failure.detail["pitfall"] = FLAT_WEIGHT, "flat_weight"
                elif name == "bias" and found.dim() == 0:
                    failure.hint, failure.detail["pitfall"] = SCALAR_BIAS, "scalar_bias"
            elif failure.kind in {"values", "nan"} and failure.hint is None and _depends_on_random_state(
                    trial, bias, seed, key, found):
                failure.hint, failure.detail["pitfall"] = RANDOM, "random_state"
            raise
        facts_of = out["parameters"][name]
        if not (facts_of.get("is_leaf") and facts_of.get("requires_grad")):
            raise CheckFailed("not_leaf", Said(
                f"The {name} is not a leaf tensor with `requires_grad=True`, so training cannot update it.",
                f"{name}가 `requires_grad=True`인 leaf 텐서가 아니라서 학습으로 업데이트할 수 없습니다."),
                detail={"pitfall": "not_leaf"}, hint=NOT_LEAF)


def _depends_on_random_state(trial: Trial, bias: bool, seed: int, key: str, found: torch.Tensor | None) -> bool:
    """The same call after another torch.manual_seed gives other values: some are nn.Linear's random ones."""
    (_, again), _ = trial.observe("build", {"args": [bias], "seed": seed + 1}, {"inputs": inputs(bias)})
    other = again.get(key)
    return found is not None and other is not None and found.shape == other.shape and not torch.equal(found, other)


@check("lecture_net",
       title_ko="`bias=False`: bias 없는 `Linear(2, 1)`, 모양 (1,2)의 weight `[[-5, 10]]`, "
                "`requires_grad=True`인 leaf 텐서",
       points=3, public=True,
       spec=("Build the network the lecture starts training from: intercept -5, slope 10.",
             "`bias=False`: `nn.Linear(2, 1, bias=False)` for the design matrix `X = [1, x]`; its "
             "weight is `[[-5., 10.]]`, shape (1,2), and it has no bias (None).",
             "All parameters are float32 leaf tensors (tensors you made, not results of a computation) "
             "with `requires_grad=True`."))
def without_bias(trial: Trial) -> None:
    """`bias=False`: `Linear(2, 1)`, no bias, weight `[[-5, 10]]` of shape (1,2), a leaf with `requires_grad=True`"""
    with trial.trying(bias=False):
        expect_net(trial, False, seed=0)


@check("lecture_net",
       title_ko="`bias=True`: `Linear(1, 1)`, weight는 `[[10]]`, bias는 `[-5]`, 둘 다 `requires_grad=True`인 "
                "leaf 텐서",
       points=3, public=True,
       spec=("Build the network the lecture starts training from: intercept -5, slope 10.",
             "`bias=True`: `nn.Linear(1, 1)` for x; its weight is `[[10.]]`, shape (1,1), and its bias "
             "is `[-5.]`, shape (1,).",
             "All parameters are float32 leaf tensors (tensors you made, not results of a computation) "
             "with `requires_grad=True`."))
def with_bias(trial: Trial) -> None:
    """`bias=True`: `Linear(1, 1)`, weight `[[10]]` and bias `[-5]`, both leaf tensors with `requires_grad=True`"""
    with trial.trying(bias=True):
        expect_net(trial, True, seed=0)


@check("lecture_net",
       title_ko="호출 전의 `torch.manual_seed`와 상관없이 같은 net인지",
       points=2, public=False,
       spec=("The result must not depend on the random state (`torch.manual_seed`)."))
def ignores_the_random_state(trial: Trial) -> None:
    """The same nets whatever `torch.manual_seed` was before the call"""
    for seed in (1, 43052):
        for bias in (False, True):
            with trial.trying(bias=bias, manual_seed_before_the_call=seed):
                expect_net(trial, bias, seed=seed)
