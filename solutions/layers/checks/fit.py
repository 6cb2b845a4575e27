"""fit(net, inputs, y, *, lr=0.1, epochs=30) — net: an nn.Linear such as lecture_net makes; inputs
(n, in_features) and y (n,1), float32. Makes torch.optim.SGD(net.parameters(), lr=lr) and runs `epochs`
full-batch steps: loss = mse_loss(net(inputs), y), backward, step, zero_grad. Trains the given net in place
and returns that very object. (Graded with the reference's mse_loss: no double penalty.)"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from assignments.layers.data import design, regression_data
from autograder.trusted.compare import Pitfall, expect_tensor, resembles
from autograder.trusted.registry import check
from autograder.trusted.trial import Trial
from autograder.trusted.verdict import CheckFailed, Said, code
from solutions.layers import reference

TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}  # a training loop accumulates rounding differences
DEFAULTS = {"lr": 0.1, "epochs": 30}
LECTURE_START = {False: {"weight": [[-5.0, 10.0]]}, True: {"weight": [[10.0]], "bias": [-5.0]}}
NO_ZERO_GRAD = Said("The gradients were not cleared in every epoch: `backward()` adds to `.grad`, so each step used "
                    "the sum of all gradients so far. Call `optimizer.zero_grad()` inside the loop (once before the "
                    "loop is not enough).",
                    "epoch마다 기울기를 지우지 않았습니다: `backward()`는 `.grad`에 더하므로 각 단계가 지금까지의 "
                    "기울기를 모두 더한 값을 사용했습니다. 반복문 안에서 `optimizer.zero_grad()`를 호출하세요"
                    "(반복문 앞에서 한 번 호출하는 것으로는 부족합니다).")
NEW_NET = Said("fit trained another network (a new nn.Linear, or a copy) and left the net it was given as it was. "
               "Train `net` itself: `torch.optim.SGD(net.parameters(), lr=lr)`, then `return net`.",
               "fit이 다른 네트워크(새 nn.Linear나 복사본)를 학습했고, 받은 net은 그대로 두었습니다. 받은 `net` "
               "자체를 학습하세요: `torch.optim.SGD(net.parameters(), lr=lr)`, 그리고 `return net`.")
RETURN_NET = Said("End fit with `return net`: the caller uses what fit returns, "
                  "e.g. `net = fit(lecture_net(True), x, y)`.",
                  "fit의 마지막에 `return net`을 쓰세요: 호출한 쪽은 fit이 반환한 것을 씁니다. "
                  "예: `net = fit(lecture_net(True), x, y)`.")


def start_tensors(start: dict[str, list[Any]]) -> dict[str, torch.Tensor]:
    return {name: torch.tensor(value) for name, value in start.items()}


def lecture_loop(inputs: torch.Tensor, y: torch.Tensor, start: dict[str, list[Any]], *, lr: float = 0.1,
                 epochs: int = 30, zero_grad: bool = True) -> dict[str, torch.Tensor]:
    """The reference's loop with a knob for each of the lecture's mistakes (to recognise them)."""
    weight = torch.tensor(start["weight"])
    net = nn.Linear(weight.shape[1], weight.shape[0], bias="bias" in start)
    with torch.no_grad():
        net.weight.copy_(weight)
        if "bias" in start:
            net.bias.copy_(torch.tensor(start["bias"]))
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        reference.mse_loss(net(inputs), y).backward()
        optimizer.step()
        if zero_grad:
            optimizer.zero_grad()
    return {name: p.detach() for name, p in (("weight", net.weight), ("bias", net.bias)) if p is not None}


def pitfalls(inputs: torch.Tensor, y: torch.Tensor, start: dict[str, list[Any]], kwargs: dict[str, Any],
             name: str) -> list[Pitfall]:
    """No zero_grad, each argument ignored for its default, off-by-one epochs: reproduced on the same input."""
    given = {**DEFAULTS, **kwargs}

    def trained(**changed: Any) -> Any:
        return lambda: lecture_loop(inputs, y, start, **{**given, **changed})[name]

    found = [Pitfall("grad_not_cleared", NO_ZERO_GRAD, resembles(trained(zero_grad=False)))]
    for argument in ("lr", "epochs"):
        if given[argument] != DEFAULTS[argument]:
            found.append(Pitfall(f"{argument}_ignored", Said(
                f"The answer is what the default `{argument}={DEFAULTS[argument]}` gives, but "
                f"`{argument}={given[argument]}` was passed: use the argument `{argument}`, not a fixed number.",
                f"넘긴 인자는 `{argument}={given[argument]}`인데 기본값 `{argument}={DEFAULTS[argument]}`의 결과가 "
                f"나왔습니다: 고정된 숫자 대신 인자 `{argument}`의 값을 쓰세요."),
                resembles(trained(**{argument: DEFAULTS[argument]}))))
    for epochs in (given["epochs"] - 1, given["epochs"] + 1):
        if epochs >= 0:
            found.append(Pitfall("epochs", Said(
                f"The answer is what {epochs} epochs give, not {given['epochs']}: run exactly "
                "`for epoch in range(epochs)`.",
                f"{given['epochs']}번이 아니라 {epochs}번 학습한 결과입니다: 정확히 `for epoch in range(epochs)`로 "
                "반복하세요."), resembles(trained(epochs=epochs))))
    return found


def observe(trial: Trial, inputs: torch.Tensor, y: torch.Tensor, start: dict[str, list[Any]],
            kwargs: dict[str, Any]) -> tuple[tuple[dict[str, Any], dict[str, torch.Tensor]], dict[str, torch.Tensor]]:
    tensors = {**start_tensors(start), "inputs": inputs, "y": y}
    (facts, got), (_, expected) = trial.observe("train_given", {"kwargs": kwargs, "scramble": 1}, tensors)
    return (facts, got), expected


def expect_trained(trial: Trial, inputs: torch.Tensor, y: torch.Tensor, start: dict[str, list[Any]],
                   kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """The net fit was given is trained as the reference trains it; (facts, tensors) of the answer."""
    (facts, got), expected = observe(trial, inputs, y, start, kwargs)
    for name in start:
        said = Said(f"The {name} of the net given to fit, after training", f"fit에 넘긴 net의 학습 후 {name}")
        try:
            expect_tensor(said, facts.get(name), got.get(name), expected[name], **TOLERANCE,
                          pitfalls=pitfalls(inputs, y, start, kwargs, name))
        except CheckFailed as failure:
            untouched = got.get(name) is not None and torch.equal(got[name], torch.tensor(start[name]))
            if failure.kind in {"values", "nan"} and not facts.get("same_object") and untouched:
                failure.hint, failure.detail["pitfall"] = NEW_NET, "new_net"
            raise
    return facts, got


def lecture_data(bias: bool, n: int = 100, seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """inputs and y for one of the lecture's nets: x for bias=True, X = [1, x] for bias=False."""
    x, y = regression_data(n) if seed is None else regression_data(n, seed)
    return (x if bias else design(x)), y


@check("fit",
       title_ko="강의의 두 net을 과제 데이터에서 기본값 lr, epochs로 학습",
       points=4, public=True, timeout=20,
       spec=("Train net for `epochs` steps with `torch.optim.SGD` and mse_loss, and return that net.",
             "net: an nn.Linear such as lecture_net makes. inputs: what net takes, shape (n, "
             "in_features), float32. y: shape (n,1), float32.",
             "Make `torch.optim.SGD(net.parameters(), lr=lr)` and run `epochs` full-batch steps: `loss "
             "= mse_loss(net(inputs), y)`, `loss.backward()`, the update (`step`), clearing the "
             "gradients (`zero_grad`)."))
def lecture_nets(trial: Trial) -> None:
    """Both lecture nets on the assignment's data, with the default lr and epochs"""
    for bias in (False, True):
        inputs, y = lecture_data(bias)
        with trial.trying(net=f"lecture_net({bias})", inputs=inputs, y=y):
            expect_trained(trial, inputs, y, LECTURE_START[bias], {})


@check("fit",
       title_ko="다른 데이터, 시작값, 학습률, epoch 수(어느 것도 고정된 숫자로 쓰지 않는지)",
       points=4, public=False, timeout=20,
       spec=("Train net for `epochs` steps with `torch.optim.SGD` and mse_loss, and return that net.",
             "Make `torch.optim.SGD(net.parameters(), lr=lr)` and run `epochs` full-batch steps: `loss "
             "= mse_loss(net(inputs), y)`, `loss.backward()`, the update (`step`), clearing the "
             "gradients (`zero_grad`)."))
def other_settings(trial: Trial) -> None:
    """Other data, starting values, learning rates and epoch counts (none of them hard-coded)"""
    for seed, n, bias, start, kwargs in [
            (51, 40, True, LECTURE_START[True], {"lr": 0.05, "epochs": 50}),
            (52, 120, False, LECTURE_START[False], {"lr": 0.2, "epochs": 7}),
            (53, 10, True, {"weight": [[0.5]], "bias": [1.0]}, {"lr": 0.01, "epochs": 100}),
            (54, 25, False, {"weight": [[0.0, 0.0]]}, {"epochs": 3}),
            (55, 30, True, LECTURE_START[True], {"lr": 0.3, "epochs": 1}),
            (56, 20, False, LECTURE_START[False], {"epochs": 0})]:
        inputs, y = lecture_data(bias, n, seed)
        start_text = ", ".join(f"{k}={v}" for k, v in start.items())
        with trial.trying(net=f"nn.Linear({inputs.shape[1]}, 1, bias={bias}) with {start_text}", inputs=inputs,
                          y=y, **kwargs):
            expect_trained(trial, inputs, y, start, kwargs)


@check("fit",
       title_ko="fit이 받은 바로 그 net을 반환하는지(None도, 새 net도 아니고)",
       points=2, public=True, timeout=20,
       spec=("Train the given net in place and return that very object; do not make a new net."),
       side_effect=True)
def returns_the_given_net(trial: Trial) -> None:
    """fit returns the very net it was given (not None, not a new one)"""
    for bias in (True, False):
        inputs, y = lecture_data(bias, 20, 57)
        with trial.trying(net=f"lecture_net({bias})", inputs=inputs, y=y, epochs=3):
            facts, _ = trial.right_first(expect_trained, trial, inputs, y, LECTURE_START[bias], {"epochs": 3})
            if facts.get("same_object"):
                continue
            returned = facts.get("returned") or {}
            if returned.get("kind") == "none":
                raise CheckFailed("returned_none", Said("fit returned None instead of the net it was given.",
                                                        "fit이 받은 net 대신 None을 반환했습니다."),
                                  detail={"pitfall": "returned_none"}, hint=RETURN_NET)
            if returned.get("kind") == "module":
                raise CheckFailed("new_net", Said(
                    f"fit returned another network ({code(returned.get('type'))}), not the net it was given.",
                    f"fit이 받은 net이 아닌 다른 네트워크({code(returned.get('type'))})를 반환했습니다."),
                    detail={"pitfall": "new_net"}, hint=NEW_NET)
            if returned.get("type"):
                shown, shown_ko = code(returned["type"]), f"{code(returned['type'])} 객체를"
            elif returned.get("kind") == "tensor":
                shown, shown_ko = "a tensor", "텐서를"
            else:
                shown, shown_ko = "something else", "다른 것을"
            raise CheckFailed("not_the_net", Said(f"fit returned {shown} instead of the net it was given.",
                                                  f"fit이 받은 net 대신 {shown_ko} 반환했습니다."),
                              detail={"pitfall": "not_the_net"}, hint=RETURN_NET)


@check("fit",
       title_ko="학습 뒤에도 inputs와 y가 그대로인지",
       points=1, public=False, timeout=20,
       spec=("Do not modify inputs or y."), side_effect=True)
def leaves_data_alone(trial: Trial) -> None:
    """inputs and y are unchanged after training"""
    for bias in (True, False):
        inputs, y = lecture_data(bias, 30, 58)
        with trial.trying(net=f"lecture_net({bias})", inputs=inputs, y=y, epochs=3):
            _, got = trial.right_first(expect_trained, trial, inputs, y, LECTURE_START[bias], {"epochs": 3})
            trial.expect_unchanged(got, {"inputs": (inputs, "inputs_after"), "y": (y, "y_after")})
