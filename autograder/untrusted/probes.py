"""Probes: how a function is exercised, written once for the student's and the reference's.

A probe calls a function on tensors it is given and reports what it saw as plain data: JSON
facts plus named tensors. The sandbox runs a probe on the student's function; the grader runs
the same probe on the reference, in its own process; only the grader compares. A probe never
judges, so a student who tampers with one only garbles their own answer.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import numpy
import torch

from autograder.untrusted import deferred_dynamo, keep_builtins

keep_builtins(globals())

Facts = dict[str, Any]
Tensors = dict[str, torch.Tensor]
Probe = Callable[[Callable[..., Any], Tensors, dict[str, Any]], tuple[Facts, Tensors]]

PLAIN_TENSOR_TYPES = (torch.Tensor, torch.nn.Parameter)
_MAX_TEXT = 2000


def _text(value: object) -> str:
    try:
        text = str(value)
    except BaseException:  # a hostile __str__ must not take the probe down
        text = "<unprintable>"
    return text[:_MAX_TEXT]


def describe(name: str, value: object, out: Tensors) -> Facts:
    """What kind of value a function produced; plain tensors go to `out` by name."""
    kind = type(value)
    if kind in PLAIN_TENSOR_TYPES:
        tensor: torch.Tensor = value  # type: ignore[assignment]
        out[name] = tensor.detach().cpu()
        return {"kind": "tensor", "requires_grad": bool(tensor.requires_grad), "is_leaf": bool(tensor.is_leaf)}
    if value is None:
        return {"kind": "none"}
    return {"kind": "object", "type": _text(getattr(kind, "__qualname__", "?"))}


def error_facts(exc: BaseException) -> Facts:
    """An exception raised by student code, with the last line of their code it passed through."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith("<submission")]
    where = own[-1] if own else None
    return {
        "type": type(exc).__name__,
        "message": _text(exc),
        "where": {"file": where.filename, "line": where.lineno, "code": _text(where.line)} if where else None,
    }


def _args(tensors: Tensors, params: dict[str, Any]) -> list[Any]:
    return [tensors[key] for key in params.get("args", [])]


def call(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """fn(*args, **kwargs): its output, and the inputs as they are afterwards (were they modified?)."""
    args = [t.clone() for t in _args(tensors, params)]
    out: Tensors = {}
    result = fn(*args, **params.get("kwargs", {}))
    facts = {"out": describe("out", result, out)}
    for i, arg in enumerate(args):
        out[f"arg{i}_after"] = arg.detach()
    return facts, out


def grad_weights(result: torch.Tensor) -> torch.Tensor:
    """The fixed weights w of the gradient probe: it backpropagates sum(w * result) (every output counts,
    differently, so a gradient that ignores or mixes up outputs shows)."""
    return torch.linspace(-1.0, 2.0, result.numel(), dtype=result.dtype).reshape(result.shape)


def grad(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Backpropagate sum(w * fn(*args)) with fixed weights w; report d/d(arg) for the args in `wrt`."""
    args = [t.clone() for t in _args(tensors, params)]
    wrt = params["wrt"]
    for i in wrt:
        args[i].requires_grad_(True)
    result = fn(*args)
    out: Tensors = {}
    facts = {"out": describe("out", result, out)}
    if facts["out"]["kind"] != "tensor":
        return facts, out
    if not result.requires_grad:
        facts["grad_error"] = "its result does not require grad (the computation left autograd)"
        return facts, out
    weights = grad_weights(result)
    grads = torch.autograd.grad((result * weights).sum(), [args[i] for i in wrt], allow_unused=True)
    for i, g in zip(wrt, grads):
        out[f"grad{i}"] = g.detach() if g is not None else torch.zeros_like(args[i])
    return facts, out


def step_in_place(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Call fn(container, alpha) on leaves with gradients (an in-place optimiser step); report each leaf afterwards.

    `container` is how the leaves are handed over: "tensor" (one leaf), "list", "generator", or
    "linear" (the parameters() generator of an nn.Linear whose weight and bias are the leaves).
    """
    count = params["count"]
    container = params["container"]
    leaves: list[torch.Tensor]
    if container == "linear":
        weight, bias = tensors["p0"], tensors["p1"]
        net = torch.nn.Linear(weight.shape[1], weight.shape[0], dtype=weight.dtype)
        with torch.no_grad():
            net.weight.copy_(weight)
            net.bias.copy_(bias)
        leaves = [net.weight, net.bias]
        handed: Any = net.parameters()
    else:
        leaves = [tensors[f"p{i}"].clone().requires_grad_(True) for i in range(count)]
        handed = {
            "tensor": lambda: leaves[0],
            "list": lambda: list(leaves),
            "generator": lambda: (p for p in leaves),
        }[container]()
    for i, leaf in enumerate(leaves):
        leaf.grad = tensors[f"g{i}"].clone()
    result = fn(handed, params["alpha"])
    out: Tensors = {}
    facts: Facts = {"returned": describe("returned", result, out), "leaves": []}
    for i, leaf in enumerate(leaves):
        facts["leaves"].append({
            "is_leaf": bool(leaf.is_leaf),
            "requires_grad": bool(leaf.requires_grad),
            "grad": describe(f"grad{i}", leaf.grad, out),
        })
        out[f"value{i}"] = leaf.detach()
    return facts, out


def seed(value: int) -> None:
    """torch.manual_seed for the CPU, which is all a probe's call computes on: before an accelerator is
    initialised, torch.manual_seed also queues the seed for CUDA, XPU and MTIA with a formatted stack trace
    each, 0.4 ms a call, more than most of the calls it precedes (a correct answer's checks seed 380 times)."""
    if torch.cuda.is_initialized():
        torch.manual_seed(value)
    else:
        torch.default_generator.manual_seed(int(value))


def train(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Call a training function with the global RNG deliberately elsewhere; report its parameters."""
    seed(params.get("scramble", 0))
    torch.rand(params.get("scramble", 0) % 97 + 1)
    x, y = tensors["x"].clone(), tensors["y"].clone()
    result = fn(x, y, **params.get("kwargs", {}))
    out: Tensors = {"x_after": x.detach(), "y_after": y.detach()}
    if isinstance(result, torch.nn.Linear):
        facts = {"out": {"kind": "linear", "type": type(result).__qualname__,
                         "in_features": int(result.in_features), "out_features": int(result.out_features)},
                 "weight": describe("weight", result.weight, out),
                 "bias": describe("bias", result.bias, out)}
    else:
        facts = {"out": describe("out", result, out)}
    return facts, out


def _plain_copy(values: Any) -> torch.Tensor:
    """The numbers a list, numpy array or tensor holds, as a tensor of their own (the probe's handed-over input)."""
    if isinstance(values, torch.Tensor):
        return values.detach().clone()
    return torch.as_tensor(numpy.array(values)).clone()


def handed_over(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Call fn(values) with the tensor `values` handed over as params["as"]: "list" (of Python numbers),
    "numpy" (an array of the tensor's dtype and shape) or "tensor" (requires grad when params["requires_grad"]).

    Reports the result, the input after the call, and the input after every element of a plain tensor result
    was overwritten (`values_after_write`): a result that shares the input's memory changes it.
    """
    source = tensors["values"]
    kind = params["as"]
    if kind == "list":
        values: Any = source.tolist()
    elif kind == "numpy":
        values = numpy.array(source.numpy())
    else:
        values = source.clone().requires_grad_(bool(params.get("requires_grad")))
    result = fn(values)
    out: Tensors = {}
    facts: Facts = {"out": describe("out", result, out)}
    if "out" in out:
        out["out"] = out["out"].clone()  # the write below must not reach the reported result
    out["values_after_call"] = _plain_copy(values)
    if type(result) in PLAIN_TENSOR_TYPES:
        written = result.detach()
        try:
            with torch.no_grad():
                written.copy_(written == 0)  # every element changes: 0 -> 1, anything else -> 0
        except Exception as exc:  # noqa: BLE001 - a result that cannot be written to is a fact
            facts["write_error"] = _text(exc)
        out["values_after_write"] = _plain_copy(values)
    return facts, out


def _module_facts(prefix: str, module: Any, out: Tensors) -> Facts:
    """What a returned module is: its type, whether it is an nn.Linear (with its sizes), each parameter."""
    if not isinstance(module, torch.nn.Module):
        return {"kind": "none"} if module is None else describe(prefix, module, out)
    facts: Facts = {"kind": "module", "type": _text(type(module).__qualname__),
                    "linear": isinstance(module, torch.nn.Linear), "parameters": {}}
    if facts["linear"]:
        facts["in_features"], facts["out_features"] = int(module.in_features), int(module.out_features)
    for name, parameter in list(module.named_parameters())[:16]:
        facts["parameters"][name] = describe(f"{prefix}{name}", parameter, out)
    return facts


def build(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Call fn(*args, **kwargs) (JSON arguments) that builds a network, the global RNG seeded with params["seed"]
    (by `run`); report the module: type, sizes, each parameter (`param:<name>`), and its output on `inputs`."""
    result = fn(*params.get("args", []), **params.get("kwargs", {}))
    out: Tensors = {}
    facts: Facts = {"out": _module_facts("param:", result, out)}
    if "inputs" in tensors and facts["out"].get("kind") == "module":
        try:
            facts["forward"] = describe("forward", result(tensors["inputs"].clone()), out)
        except Exception as exc:  # noqa: BLE001 - a net that cannot be called is a fact
            facts["forward_error"] = _text(f"{type(exc).__name__}: {exc}")
    return facts, out


def train_given(fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Build nn.Linear from the sent `weight` (and `bias`, when sent), call fn(net, inputs, y, **kwargs) with the
    global RNG deliberately elsewhere; report whether it returned that very net, the net's parameters afterwards
    (`weight`, `bias`), what it returned (`returned:<name>` when another module), and the inputs afterwards."""
    weight, bias = tensors["weight"], tensors.get("bias")
    net = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=weight.dtype)
    with torch.no_grad():
        net.weight.copy_(weight)
        if bias is not None:
            net.bias.copy_(bias)
    inputs, y = tensors["inputs"].clone(), tensors["y"].clone()
    seed(params.get("scramble", 0))
    torch.rand(params.get("scramble", 0) % 97 + 1)
    result = fn(net, inputs, y, **params.get("kwargs", {}))
    out: Tensors = {"inputs_after": inputs.detach(), "y_after": y.detach()}
    same = result is net
    facts: Facts = {"same_object": same,
                    "returned": {"kind": "the net"} if same else _module_facts("returned:", result, out)}
    for name in ("weight", "bias"):  # as the net holds them now (a parameter may have been replaced)
        facts[name] = describe(name, getattr(net, name, None), out)
    return facts, out


PROBES: dict[str, Probe] = {"call": call, "grad": grad, "step_in_place": step_in_place, "train": train,
                            "handed_over": handed_over, "build": build, "train_given": train_given}


def run(probe: str, fn: Callable[..., Any], tensors: Tensors, params: dict[str, Any]) -> tuple[Facts, Tensors]:
    """Run one probe; an exception from the function becomes a fact, never a crash."""
    seed(params.get("seed", 0))
    try:
        return PROBES[probe](fn, tensors, params)
    except BaseException as exc:  # noqa: BLE001 - SystemExit from student code is an answer too
        return {"error": error_facts(exc)}, {}



def warm_up() -> None:
    """Pay torch's lazy first-use costs (optimizers, autograd, nn) once, before any fork; all but torch._dynamo's,
    which nothing here needs (autograder/untrusted/deferred_dynamo.py)."""
    deferred_dynamo.defer()
    net = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(net(torch.ones(2, 1))), torch.ones(2, 1))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    torch.nn.MSELoss()(torch.ones(1), torch.zeros(1))
