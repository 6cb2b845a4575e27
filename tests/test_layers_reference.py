"""The layers reference reproduces the lecture, and the corpus of submissions says what it claims.

The reference (solutions/layers/reference.py) is what every student function is compared with, so
it is held here to the lecture's own numbers (30 epochs at lr 0.1 from [-5, 10] on the lecture's
data) and to each sentence of the contract. Each correct corpus file must agree with it on every
probe below, and each mistakes file must differ from it in the one function expected.json names.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from torch import nn

from assignments.layers.data import REGRESSION_SEED, design, regression_data
from solutions.layers import reference

ROOT = Path(__file__).resolve().parents[1]
LECTURE_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "lecture-regression.csv"
CORPUS = ROOT / "tests" / "submissions" / "layers"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FUNCTIONS = ("to_column", "lecture_net", "mse_loss", "fit")
LECTURE_ANSWER = torch.tensor([2.4290, 4.0144])


def lecture_data() -> tuple[torch.Tensor, torch.Tensor]:
    """The lecture's x and y, each (100,1) float32, read from the shared CSV (skip when it is absent)."""
    if not LECTURE_CSV.exists():
        pytest.skip(f"the lecture's data is not here: {LECTURE_CSV}")
    with LECTURE_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    x = torch.tensor([[float(row["x"])] for row in rows])
    y = torch.tensor([[float(row["y"])] for row in rows])
    return x, y


def intercept_slope(net: nn.Linear) -> torch.Tensor:
    """[intercept, slope] of either lecture net."""
    if net.bias is None:
        return net.weight.detach().reshape(-1)
    return torch.cat([net.bias.detach().reshape(-1), net.weight.detach().reshape(-1)])


# --- the reference against the lecture ---------------------------------------------------------


@pytest.mark.parametrize("bias", [False, True])
def test_fit_reproduces_the_lecture(bias: bool) -> None:
    """Both of the lecture's nets, 30 epochs at lr 0.1 from [-5, 10], land on [2.4290, 4.0144]."""
    x, y = lecture_data()
    net = reference.lecture_net(bias)
    trained = reference.fit(net, x if bias else design(x), y)
    assert trained is net
    torch.testing.assert_close(intercept_slope(trained), LECTURE_ANSWER, atol=1e-4, rtol=0)


@pytest.mark.parametrize("bias", [False, True])
def test_fit_recovers_the_line_of_the_data(bias: bool) -> None:
    """On data.regression_data (y = 2.5 + 4x + noise) enough epochs recover about (2.5, 4)."""
    x, y = regression_data()
    net = reference.fit(reference.lecture_net(bias), x if bias else design(x), y, epochs=300)
    torch.testing.assert_close(intercept_slope(net), torch.tensor([2.5, 4.0]), atol=0.15, rtol=0)


def test_both_nets_train_alike() -> None:
    """The bias-free net on X = [1, x] and the biased net on x follow the same path, any lr and epochs."""
    x, y = regression_data(n=40, seed=REGRESSION_SEED + 1)
    for lr, epochs in [(0.1, 30), (0.05, 7), (0.3, 3)]:
        a = reference.fit(reference.lecture_net(False), design(x), y, lr=lr, epochs=epochs)
        b = reference.fit(reference.lecture_net(True), x, y, lr=lr, epochs=epochs)
        torch.testing.assert_close(intercept_slope(a), intercept_slope(b), atol=1e-5, rtol=1e-5)


def test_data_is_lecture_shaped() -> None:
    """regression_data: sorted (n,1) float32 columns, the same on every call; design: (n,2) [1, x]."""
    x, y = regression_data()
    assert x.shape == y.shape == (100, 1) and x.dtype == y.dtype == torch.float32
    assert torch.all(x[1:] >= x[:-1])
    torch.testing.assert_close(regression_data()[1], y, rtol=0, atol=0)
    X = design(x)
    assert X.shape == (100, 2) and X.dtype == torch.float32
    torch.testing.assert_close(X, torch.cat([torch.ones(100, 1), x], dim=1), rtol=0, atol=0)
    assert design(torch.tensor([1, 2])).dtype == torch.float32


# --- mse_loss ----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(7, 1), (5,), (3, 2)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mse_is_torch_mse(shape: tuple[int, ...], dtype: torch.dtype) -> None:
    """mse_loss equals torch.nn.MSELoss() in value (0-dim, same dtype) and in its gradient."""
    g = torch.Generator().manual_seed(sum(shape))
    yhat = torch.randn(shape, generator=g, dtype=dtype, requires_grad=True)
    y = torch.randn(shape, generator=g, dtype=dtype)
    ours = reference.mse_loss(yhat, y)
    (grad_ours,) = torch.autograd.grad(ours, yhat)
    theirs = nn.MSELoss()(yhat, y)
    (grad_theirs,) = torch.autograd.grad(theirs, yhat)
    assert ours.shape == () and ours.dtype == dtype
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(grad_ours, grad_theirs)


@pytest.mark.parametrize("shapes", [((6,), (6, 1)), ((6, 1), (6,)), ((1, 6), (6, 1)), ((6, 1), (5, 1))])
def test_mse_refuses_different_shapes(shapes: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    """Different shapes raise ValueError naming both, instead of broadcasting to an (n,n) matrix."""
    yhat, y = torch.zeros(shapes[0]), torch.zeros(shapes[1])
    with pytest.raises(ValueError) as raised:
        reference.mse_loss(yhat, y)
    assert str(tuple(shapes[0])) in str(raised.value) and str(tuple(shapes[1])) in str(raised.value)


# --- to_column ---------------------------------------------------------------------------------


def column_inputs() -> list[tuple[str, Callable[[], object], list[float]]]:
    """(label, a maker of a fresh input, the values it holds): every kind the contract names."""
    return [
        ("list of int", lambda: [1, 2, 3], [1, 2, 3]),
        ("list of float", lambda: [0.5, -1.25], [0.5, -1.25]),
        ("numpy int64 (n,)", lambda: np.array([1, 2, 3]), [1, 2, 3]),
        ("numpy float64 (n,)", lambda: np.array([1.5, 2.5, -3.0]), [1.5, 2.5, -3.0]),
        ("numpy float64 (n,1)", lambda: np.array([[1.5], [2.5]]), [1.5, 2.5]),
        ("numpy float32 (n,)", lambda: np.array([1.0, 2.0, 4.0], dtype=np.float32), [1.0, 2.0, 4.0]),
        ("numpy float32 (n,1)", lambda: np.array([[3.0], [5.0]], dtype=np.float32), [3.0, 5.0]),
        ("numpy int32 (n,1)", lambda: np.array([[7], [8]], dtype=np.int32), [7, 8]),
        ("numpy bool (n,)", lambda: np.array([True, False, True]), [1, 0, 1]),
        ("tensor float32 (n,)", lambda: torch.tensor([1.0, 2.0]), [1.0, 2.0]),
        ("tensor float32 (n,1) requires grad", lambda: torch.tensor([[1.0], [2.0]], requires_grad=True), [1.0, 2.0]),
        ("tensor float64 (n,) requires grad", lambda: torch.tensor([0.25, 0.5], dtype=torch.float64,
                                                                   requires_grad=True), [0.25, 0.5]),
        ("tensor int64 (n,1)", lambda: torch.tensor([[4], [5], [6]]), [4, 5, 6]),
        ("one number", lambda: np.array([2.0]), [2.0]),
    ]


def snapshot(values: object) -> object:
    """A copy of the input to compare with after the result has been written to."""
    if isinstance(values, torch.Tensor):
        return values.detach().clone()
    if isinstance(values, np.ndarray):
        return values.copy()
    return list(values)  # type: ignore[call-overload]


def same_input(before: object, after: object) -> bool:
    if isinstance(before, torch.Tensor):
        return bool(torch.equal(before, after.detach()))  # type: ignore[union-attr]
    if isinstance(before, np.ndarray):
        return bool(np.array_equal(before, after))  # type: ignore[arg-type]
    return before == after


def column_problem(to_column: Callable, make: Callable[[], object], expected: list[float]) -> str | None:
    """What is wrong with to_column on this input, or None: type, float32, (n,1), values, grad, a copy."""
    values = make()
    before = snapshot(values)
    try:
        result = to_column(values)
    except Exception as error:  # noqa: BLE001 - any failure is a difference
        return f"raised {type(error).__name__}: {error}"
    if not isinstance(result, torch.Tensor):
        return f"returned {type(result).__name__}"
    if result.dtype != torch.float32:
        return f"dtype {result.dtype}"
    if tuple(result.shape) != (len(expected), 1):
        return f"shape {tuple(result.shape)}"
    if not torch.equal(result.detach(), torch.tensor(expected, dtype=torch.float32).reshape(-1, 1)):
        return f"values {result.detach().reshape(-1).tolist()}"
    if result.requires_grad:
        return "requires grad"
    if not same_input(before, values):
        return "changed its input"
    try:
        with torch.no_grad():
            result.fill_(123.0)
    except Exception as error:  # noqa: BLE001
        return f"cannot be written to: {type(error).__name__}"
    if not same_input(before, values):
        return "shares memory with its input"
    return None


@pytest.mark.parametrize("label", [label for label, _, _ in column_inputs()])
def test_to_column(label: str) -> None:
    """A new (n,1) float32 column holding the values, never sharing the caller's memory."""
    _, make, expected = next(item for item in column_inputs() if item[0] == label)
    assert column_problem(reference.to_column, make, expected) is None


def test_to_column_survives_odd_numpy_layouts() -> None:
    """Reversed, strided and big-endian arrays (torch.tensor refuses negative strides) still convert."""
    base = np.arange(6.0)
    for values in (base[::-1], base.reshape(3, 2)[:, 1], base.astype(">f8")):
        column = reference.to_column(values)
        assert column.dtype == torch.float32 and column.shape == (len(values), 1)
        assert column.reshape(-1).tolist() == [float(v) for v in values]


# --- lecture_net -------------------------------------------------------------------------------


def describe_net(net: object) -> object:
    """Everything the contract fixes about a net: class, sizes, each parameter's name, shape, dtype,
    values, and whether it is a leaf that requires grad."""
    if not isinstance(net, nn.Linear):
        return ("not an nn.Linear", type(net).__name__)
    params = [
        (name, tuple(p.shape), p.dtype, p.detach().reshape(-1).tolist(), p.is_leaf, p.requires_grad)
        for name, p in net.named_parameters()
    ]
    return (net.in_features, net.out_features, params)


@pytest.mark.parametrize("bias", [False, True])
def test_lecture_net(bias: bool) -> None:
    """bias=False: Linear(2,1) with weight [[-5, 10]] and no bias; bias=True: weight [[10]], bias [-5]."""
    net = reference.lecture_net(bias)
    if bias:
        expected = (1, 1, [("weight", (1, 1), torch.float32, [10.0], True, True),
                           ("bias", (1,), torch.float32, [-5.0], True, True)])
    else:
        expected = (2, 1, [("weight", (1, 2), torch.float32, [-5.0, 10.0], True, True)])
    assert describe_net(net) == expected
    assert net.bias is None if not bias else net.bias is not None


@pytest.mark.parametrize("bias", [False, True])
def test_lecture_net_ignores_the_random_state(bias: bool) -> None:
    """The same net whatever torch.manual_seed was set before."""
    seen = []
    for seed in (0, 1, 43052):
        torch.manual_seed(seed)
        seen.append(describe_net(reference.lecture_net(bias)))
    assert seen[0] == seen[1] == seen[2]


# --- fit ---------------------------------------------------------------------------------------


def test_fit_calls_mse_loss_by_its_module_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """fit looks mse_loss up in its module each epoch, so the grader can put the reference's there."""
    calls = []

    def spy(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        calls.append(tuple(yhat.shape))
        return torch.mean((y - yhat) ** 2)

    monkeypatch.setattr(reference, "mse_loss", spy)
    x, y = regression_data(n=10)
    reference.fit(reference.lecture_net(True), x, y, epochs=4)
    assert calls == [(10, 1)] * 4


def test_fit_with_no_epochs_leaves_the_net() -> None:
    x, y = regression_data(n=10)
    net = reference.fit(reference.lecture_net(True), x, y, epochs=0)
    assert intercept_slope(net).tolist() == [-5.0, 10.0]


FIT_CASES = [(False, 0.1, 30), (True, 0.1, 30), (True, 0.05, 7), (False, 0.02, 12), (True, 0.3, 1)]


def fit_problem(fit: Callable, bias: bool, lr: float, epochs: int) -> str | None:
    """What is wrong with fit on one lecture net, or None: the same object back, trained like the reference."""
    x, y = regression_data(n=50, seed=REGRESSION_SEED + 2)
    inputs = x if bias else design(x)
    expected = intercept_slope(reference.fit(reference.lecture_net(bias), inputs, y, lr=lr, epochs=epochs))
    net = reference.lecture_net(bias)
    try:
        returned = fit(net, inputs, y, lr=lr, epochs=epochs)
    except Exception as error:  # noqa: BLE001
        return f"raised {type(error).__name__}: {error}"
    if returned is not net:
        return f"returned {type(returned).__name__}, not the net it was given"
    got = intercept_slope(net)
    if not torch.allclose(got, expected, rtol=1e-5, atol=1e-5):
        return f"trained to {got.tolist()}, expected {expected.tolist()}"
    return None


# --- the corpus --------------------------------------------------------------------------------


def load(relative: str) -> ModuleType:
    """Import a corpus file from its path, as a module of its own."""
    path = CORPUS / relative
    name = "layers_corpus_" + relative.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mse_problem(mse_loss: Callable) -> str | None:
    """What is wrong with mse_loss, or None: value, 0-dim tensor, gradient, ValueError on other shapes."""
    g = torch.Generator().manual_seed(7)
    for shape, dtype in [((9, 1), torch.float32), ((4,), torch.float64), ((2, 3), torch.float32)]:
        yhat = torch.randn(shape, generator=g, dtype=dtype, requires_grad=True)
        y = torch.randn(shape, generator=g, dtype=dtype)
        expected = reference.mse_loss(yhat, y)
        (expected_grad,) = torch.autograd.grad(expected, yhat)
        try:
            got = mse_loss(yhat, y)
        except Exception as error:  # noqa: BLE001
            return f"raised {type(error).__name__}: {error}"
        if not isinstance(got, torch.Tensor) or got.shape != () or got.dtype != dtype:
            return f"returned {got!r}, not a 0-dim {dtype} tensor"
        if not torch.allclose(got.detach(), expected.detach(), rtol=1e-5, atol=1e-7):
            return f"value {got.item()} for {shape}, expected {expected.item()}"
        if not got.requires_grad:
            return "not differentiable"
        (grad,) = torch.autograd.grad(got, yhat)
        if not torch.allclose(grad, expected_grad, rtol=1e-5, atol=1e-7):
            return "wrong gradient"
    for a, b in [((6,), (6, 1)), ((6, 1), (6,))]:
        try:
            mse_loss(torch.zeros(a), torch.zeros(b))
        except ValueError:
            continue
        except Exception as error:  # noqa: BLE001
            return f"{a} vs {b} raised {type(error).__name__}, not ValueError"
        return f"{a} vs {b} did not raise"
    return None


def problems(module: ModuleType, function: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way a corpus file's function differs from the reference on this file's probes."""
    found = []
    if function == "to_column":
        for label, make, expected in column_inputs():
            problem = column_problem(module.to_column, make, expected)
            if problem:
                found.append(f"{label}: {problem}")
    elif function == "lecture_net":
        for bias in (False, True):
            for seed in (0, 43052):
                torch.manual_seed(seed)
                expected = describe_net(reference.lecture_net(bias))
                torch.manual_seed(seed + 1)
                got = describe_net(module.lecture_net(bias))
                if got != expected:
                    found.append(f"bias={bias}, seed {seed}: {got} != {expected}")
    elif function == "mse_loss":
        problem = mse_problem(module.mse_loss)
        if problem:
            found.append(problem)
    else:
        # Graded with the reference's helper, as assignment.toml says: no double penalty.
        monkeypatch.setattr(module, "mse_loss", reference.mse_loss, raising=False)
        for case in FIT_CASES:
            problem = fit_problem(module.fit, *case)
            if problem:
                found.append(f"bias={case[0]}, lr={case[1]}, epochs={case[2]}: {problem}")
    return found


PY_FILES = sorted(key for key in EXPECTED if key.endswith(".py"))  # notebooks are graded in the grading tests


def test_expected_lists_every_corpus_file() -> None:
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*")
               if p.suffix in {".py", ".ipynb"} and p.parent.name != "null"}  # null work: tests/test_null_work.py
    assert set(EXPECTED) == on_disk
    assert all(set(entry["wrong"]) <= set(FUNCTIONS) and entry["why"] for entry in EXPECTED.values())
    assert len([key for key in EXPECTED if key.startswith("mistakes/")]) >= 14
    assert {fn for entry in EXPECTED.values() for fn in entry["wrong"]} == set(FUNCTIONS)


@pytest.mark.parametrize("relative", PY_FILES)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_corpus_agrees_with_expected(relative: str, function: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A function expected.json calls wrong differs from the reference; every other one agrees."""
    found = problems(load(relative), function, monkeypatch)
    if function in EXPECTED[relative]["wrong"]:
        assert found, f"{relative}: {function} should differ from the reference ({EXPECTED[relative]['why']})"
    else:
        assert not found, f"{relative}: {function} differs from the reference: {found}"
