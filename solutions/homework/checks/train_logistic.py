"""train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052) — x, y (n,1) float32, y in {0,1}.
Calls torch.manual_seed(seed), then creates torch.nn.Linear(1,1), then runs `epochs` full-batch
steps of sigmoid → BCE → backward → SGD step at lr → zero grads; returns the trained Linear."""

from __future__ import annotations

from typing import Any

import torch

from assignments.homework.data import classification_data
from autograder.trusted.compare import Pitfall, expect_tensor, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said
from solutions.homework import reference

TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}  # a training loop accumulates rounding differences
DEFAULTS = {"lr": 0.1, "epochs": 100, "seed": 43052}
SEED = Said("Call torch.manual_seed(seed) first, then create nn.Linear(1, 1): the layer's initial weights are "
            "random, so without the seed (or seeding after the layer exists) every run starts elsewhere.",
            "먼저 `torch.manual_seed(seed)`를 호출한 다음 `nn.Linear(1, 1)`을 만드세요: nn.Linear의 초기 가중치는 "
            "난수라서, 시드를 정하지 않거나 nn.Linear를 만든 뒤에 정하면 매번 다른 값에서 학습을 시작합니다.")
NO_ZERO_GRAD = Said("The gradients were never cleared: backward() adds to .grad, so each step used the sum of all "
                    "gradients so far. Call optimizer.zero_grad() in every epoch.",
                    "기울기를 지우지 않았습니다: `backward()`는 .grad에 기울기를 더하므로, 매 단계가 지금까지 구한 "
                    "기울기의 합을 썼습니다. epoch마다 `optimizer.zero_grad()`를 호출하세요.")


def without_zero_grad(x: torch.Tensor, y: torch.Tensor, *, lr: float, epochs: int, seed: int) -> torch.nn.Linear:
    """The reference loop with the lecture's forgotten optimizer.zero_grad()."""
    torch.manual_seed(seed)
    net = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        reference.bce_loss(reference.sigmoid(net(x)), y).backward()
        optimizer.step()
    return net


_RUNS: dict[tuple[Any, ...], torch.nn.Linear] = {}


def _run_once(maker: Any, x: torch.Tensor, y: torch.Tensor, settings: dict[str, Any]) -> torch.nn.Linear:
    """A mistaken training run, made once per grading process: every wrong answer is tried against the same ones."""
    key = _key(maker, x, y, settings)
    if key not in _RUNS:
        _RUNS[key] = maker(x, y, **settings)
    return _RUNS[key]


def _variants(kwargs: dict[str, Any]) -> list[tuple[str, Said, Any, dict[str, Any]]]:
    """Each argument ignored (the default used instead), a constant seed, off-by-one epochs, no zero_grad:
    (tag, hint, the training function, the settings it is run with)."""
    given = {**DEFAULTS, **kwargs}
    found = []
    for argument in ("lr", "epochs", "seed"):
        if given[argument] != DEFAULTS[argument]:
            found.append((f"{argument}_ignored", Said(
                f"The answer is what the default {argument}={DEFAULTS[argument]} gives, but "
                f"{argument}={given[argument]} was passed: use the argument {argument}, not a fixed number.",
                f"`{argument}={given[argument]}`로 호출했는데 기본값 `{argument}={DEFAULTS[argument]}`일 때의 결과가 "
                f"나왔습니다: 고정된 숫자 대신 인자 {argument}의 값을 쓰세요."),
                reference.train_logistic, {**given, argument: DEFAULTS[argument]}))
    found.append(("seed_42", Said(
        "The answer is what torch.manual_seed(42) gives: seed with the argument, torch.manual_seed(seed).",
        "`torch.manual_seed(42)`일 때의 결과입니다: 인자로 받은 시드를 쓰세요, `torch.manual_seed(seed)`."),
        reference.train_logistic, {**given, "seed": 42}))
    found.append(("grad_not_cleared", NO_ZERO_GRAD, without_zero_grad, given))
    for epochs in (given["epochs"] - 1, given["epochs"] + 1):
        found.append(("epochs", Said(
            f"The answer is what {epochs} epochs give, not {given['epochs']}: run exactly "
            "`for epoch in range(epochs)`.",
            f"{given['epochs']}번이 아니라 {epochs}번 학습한 결과입니다: 정확히 `for epoch in range(epochs)`만큼 "
            "반복하세요."), reference.train_logistic, {**given, "epochs": epochs}))
    return found


def _key(maker: Any, x: torch.Tensor, y: torch.Tensor, settings: dict[str, Any]) -> tuple[Any, ...]:
    return maker.__name__, x.numpy().tobytes(), y.numpy().tobytes(), tuple(sorted(settings.items()))


def pitfalls(x: torch.Tensor, y: torch.Tensor, kwargs: dict[str, Any], name: str,
             unseeded: Pitfall | None = None) -> list[Pitfall]:
    """The mistaken runs (_variants) as pitfalls of the trained `name`; `unseeded` (an answer that changes with
    the random state before the call) goes first unless every run is made already. The order is one of cost, not
    of verdict: an answer that changes with the random state equals no seeded run. On a cold grader the runs
    cost a training each, where telling an unseeded answer costs one call of the student's."""
    def trained(maker: Any, settings: dict[str, Any]) -> Any:
        return lambda: getattr(_run_once(maker, x, y, settings), name).detach()

    variants = _variants(kwargs)
    found = [Pitfall(tag, said, resembles(trained(maker, settings))) for tag, said, maker, settings in variants]
    if unseeded is None:  # every check module's pitfalls(...) is also called alone (tests/test_korean.py)
        return found
    made = all(_key(maker, x, y, settings) in _RUNS for _, _, maker, settings in variants)
    return [*found, unseeded] if made else [unseeded, *found]


def expect_trained(trial: Trial, x: torch.Tensor, y: torch.Tensor, *, scramble: int = 1, keep: bool = False,
                   **kwargs: Any) -> dict[str, torch.Tensor]:
    params = {"kwargs": kwargs, "scramble": scramble}
    (facts, got), (_, expected) = trial.observe("train", params, {"x": x, "y": y})
    out = facts.get("out") or {}
    if out.get("kind") != "linear":
        kind = str(out.get("kind"))
        shown = out.get("type") or {"none": "None", "tensor": "a tensor"}.get(kind, "something else")
        shown_ko = (f"`{out['type']}` 객체" if out.get("type") else
                    {"none": "`None`", "tensor": "텐서"}.get(kind, "다른 값"))
        raise CheckFailed("not_linear", Said(
            f"train_logistic should return the trained torch.nn.Linear, but it returned {shown}.",
            f"train_logistic 함수는 학습된 `torch.nn.Linear`를 반환해야 하는데, 반환한 것은 {shown_ko}입니다."))
    if (out.get("in_features"), out.get("out_features")) != (1, 1):
        layer = f"Linear({out.get('in_features')}, {out.get('out_features')})"
        raise CheckFailed("shape", Said(f"The returned layer is {layer}; expected Linear(1, 1).",
                                        f"반환된 nn.Linear가 `{layer}`입니다. `Linear(1, 1)`이어야 합니다."))
    if keep and all(got.get(name) is not None and got[name].numel() == 1 for name in ("weight", "bias")):
        trial.kept["fit"] = {"weight": float(got["weight"]), "bias": float(got["bias"])}  # for the feedback's plot

    def unseeded(*_: torch.Tensor) -> bool:
        return _depends_on_random_state(trial, x, y, params, got)

    for name in ("weight", "bias"):
        said = Said(f"The trained {name}", f"학습된 {name}")
        expect_tensor(said, facts.get(name), got.get(name), expected[name], **TOLERANCE,
                      pitfalls=pitfalls(x, y, kwargs, name, Pitfall("seed", SEED, unseeded)))
    return got


def _depends_on_random_state(trial: Trial, x: torch.Tensor, y: torch.Tensor, params: dict[str, Any],
                             got: dict[str, torch.Tensor]) -> bool:
    """The same call with the global random generator elsewhere before it gives another layer: unseeded."""
    _, again = trial.answer("train", {**params, "scramble": params["scramble"] + 1}, {"x": x, "y": y})
    first, second = got.get("weight"), again.get("weight")
    return first is not None and second is not None and first.shape == second.shape and not torch.equal(first, second)


@check("train_logistic", points=5, public=True, timeout=20,
       title_ko="과제 데이터에서 기본 lr, epochs, seed로 학습",
       spec=("Train logistic regression with torch.nn.Linear(1,1) and torch.optim.SGD.",
             "x, y: shape (n,1), dtype float32; y in {0,1}.",
             "Returns: the trained torch.nn.Linear."))
def defaults(trial: Trial) -> None:
    """The homework's data with the default lr, epochs and seed"""
    x, y = classification_data()
    with trial.trying(x=x, y=y):
        expect_trained(trial, x, y, keep=True)


@check("train_logistic", points=5, public=False, timeout=20,
       title_ko="다른 데이터, 학습률, epoch 수, 시드 (어느 것도 고정된 숫자로 쓰지 않는지)",
       spec="Call torch.manual_seed(seed), then create torch.nn.Linear(1,1), then run `epochs` full-batch "
            "steps with SGD at lr: net(x) -> sigmoid -> BCE -> backward -> step -> zero the grads.")
def other_settings(trial: Trial) -> None:
    """Other data, learning rates, epoch counts and seeds (none of them hard-coded)"""
    for data_seed, n, kwargs in [(11, 60, {"lr": 0.5, "epochs": 37, "seed": 7}),
                                 (12, 150, {"lr": 0.05, "epochs": 120, "seed": 2024}),
                                 (13, 30, {"lr": 1.0, "epochs": 3, "seed": 43052})]:
        x, y = classification_data(n=n, seed=data_seed)
        with trial.trying(x=x, y=y, **kwargs):
            expect_trained(trial, x, y, **kwargs)


@check("train_logistic", points=3, public=False, timeout=20,
       title_ko="호출 전 전역 난수 생성기의 상태와 상관없이 같은 결과인지",
       spec="Call torch.manual_seed(seed), then create torch.nn.Linear(1,1), then run `epochs` full-batch "
            "steps with SGD at lr: net(x) -> sigmoid -> BCE -> backward -> step -> zero the grads.")
def seeds_itself(trial: Trial) -> None:
    """The same answer whatever state the global random generator was in before the call"""
    x, y = classification_data(n=50, seed=14)
    for scramble in (123, 98765):
        try:
            with trial.trying(x=x, y=y, epochs=5):
                expect_trained(trial, x, y, scramble=scramble, epochs=5)
        except CheckFailed as failure:
            if failure.detail.get("pitfall") != "seed":
                raise  # wrong, but not because of the random state: the failure says what it is
            raise CheckFailed("seed", Said(
                "The trained parameters depend on the random state before the call.",
                "학습된 파라미터가 호출 전의 난수 상태에 따라 달라집니다."),
                detail={**failure.detail, "pitfall": "seed"}, hint=SEED) from None


def saturating_data() -> tuple[torch.Tensor, torch.Tensor]:
    """x from -30 to 30, y ~ Bernoulli(sigmoid(3x)): after a few steps the float32 sigmoid is exactly 0 or 1
    on many points, where log(0) and 0 * inf lurk."""
    x = torch.linspace(-30, 30, 100).reshape(-1, 1)
    return x, torch.bernoulli(torch.sigmoid(3 * x), generator=torch.Generator().manual_seed(20261202))


@check("train_logistic", points=2, public=False, timeout=20,
       title_ko="시그모이드가 정확히 0이나 1로 포화되는 데이터에서도 정답과 같은 유한한 nn.Linear",
       spec=("x, y: shape (n,1), dtype float32; y in {0,1}.",
             "Call torch.manual_seed(seed), then create torch.nn.Linear(1,1), then run `epochs` full-batch "
             "steps with SGD at lr: net(x) -> sigmoid -> BCE -> backward -> step -> zero the grads."))
def saturating_data_stays_finite(trial: Trial) -> None:
    """Data where the sigmoid saturates: the same finite layer as the reference (torch's BCELoss loop agrees)"""
    x, y = saturating_data()
    with trial.trying(x=x, y=y, lr=0.1, epochs=40):
        expect_trained(trial, x, y, lr=0.1, epochs=40)


@check("train_logistic", points=1, public=False, timeout=20, title_ko="학습한 뒤에도 x와 y가 그대로인지",
       spec="Do not modify x or y.", side_effect=True)
def leaves_data_alone(trial: Trial) -> None:
    """x and y are unchanged after training"""
    x, y = classification_data(n=40, seed=15)
    x = 2 * x + 1  # not centred, not scaled: any in-place preprocessing shows
    with trial.trying(x=x, y=y):
        got = trial.right_first(lambda: expect_trained(trial, x, y, epochs=3))
        trial.expect_unchanged(got, {"x": (x, "x_after"), "y": (y, "y_after")})
