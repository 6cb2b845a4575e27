"""A trial: one check's access to the student's function (remote) and the reference's (local).

The same probe runs on both; the student's answer comes back over the channel as data, the
reference's is computed here. Checks say what to try and what to compare; the trial attaches
what was tried to a failure (values for public checks, only shapes and dtypes for hidden ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from hypothesis import given

from autograder.trusted.compare import expect_tensor
from autograder.trusted.sandbox import CheckSession
from autograder.trusted.strategies import GRADING
from autograder.trusted.verdict import CheckFailed, Said
from autograder.untrusted import probes

Observation = tuple[dict[str, Any], dict[str, torch.Tensor]]


def show(name: str, value: Any, *, public: bool) -> str:
    if isinstance(value, torch.Tensor):
        shape = "(" + ", ".join(map(str, value.shape)) + ("," if value.dim() == 1 else "") + ")"
        kind = f"shape {shape}, {str(value.dtype).replace('torch.', '')}"
        if not public:
            return f"{name}: {kind}"
        text = repr(value)
        return f"{name} = {text if len(text) <= 400 else text[:400] + ' ...'}  [{kind}]"
    return f"{name} = {value!r}" if public else f"{name}: {type(value).__name__}"


class Trial:
    def __init__(self, function: str, session: CheckSession, reference: Callable[..., Any], *,
                 public: bool) -> None:
        self.function = function
        self.session = session
        self.reference = reference
        self.public = public
        self.settings = GRADING

    def given(self, **strategies: Any) -> Callable[[Callable[..., None]], Callable[[], None]]:
        """hypothesis.given with the grading settings; the property runs when called."""
        def wrap(prop: Callable[..., None]) -> Callable[[], None]:
            return self.settings(given(**strategies)(prop))
        return wrap

    @contextmanager
    def trying(self, **inputs: Any) -> Iterator[None]:
        """Attach the inputs to any failure raised inside."""
        try:
            yield
        except CheckFailed as failure:
            if failure.tried is None:
                failure.tried = "\n".join(show(k, v, public=self.public) for k, v in inputs.items())
            raise

    def observe(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]
                ) -> tuple[Observation, Observation]:
        """(student, reference) observations of one probe; a raised exception fails the check."""
        student = self.session.call(probe, params, tensors)
        error = student[0].get("error")
        if error:
            raise self.raised(error)
        reference = probes.run(probe, self.reference, tensors, params)
        if "error" in reference[0]:
            raise RuntimeError(f"the reference failed on probe {probe}: {reference[0]['error']}")
        return student, reference

    def raised(self, error: dict[str, Any]) -> CheckFailed:
        where = error.get("where") or {}
        at_en = f" (line {where.get('line')}: `{str(where.get('code', '')).strip()}`)" if where else ""
        at_ko = f" ({where.get('line')}번째 줄: `{str(where.get('code', '')).strip()}`)" if where else ""
        kind, message = str(error.get("type", "Exception")), str(error.get("message", ""))[:500]
        if kind == "SystemExit":
            return CheckFailed("exit", Said(f"{self.function} called sys.exit(){at_en}.",
                                            f"{self.function}이(가) sys.exit()를 호출했습니다{at_ko}."))
        if kind == "NotImplementedError":
            return CheckFailed("not_implemented", Said(
                f"{self.function} is not implemented yet (it raises NotImplementedError).",
                f"{self.function}이(가) 아직 구현되지 않았습니다 (NotImplementedError)."))
        return CheckFailed("error", Said(f"{self.function} raised {kind}: {message}{at_en}",
                                         f"{self.function}에서 {kind} 예외가 발생했습니다: {message}{at_ko}"),
                           detail={"exception": kind})

    def call(self, *args: torch.Tensor, **kwargs: Any) -> tuple[Observation, Observation]:
        tensors = {f"a{i}": a for i, a in enumerate(args)}
        return self.observe("call", {"args": list(tensors), "kwargs": kwargs}, tensors)

    def same_output(self, *args: torch.Tensor, rtol: float = 1e-5, atol: float = 1e-6, **kwargs: Any) -> None:
        """fn(*args) matches the reference in type, dtype, shape and value."""
        (facts, got), (_, expected) = self.call(*args, **kwargs)
        expect_tensor(f"The result of {self.function}", facts.get("out"), got.get("out"), expected["out"],
                      rtol=rtol, atol=atol)

    def same_gradient(self, *args: torch.Tensor, wrt: tuple[int, ...] = (0,), rtol: float = 1e-4,
                      atol: float = 1e-6) -> None:
        """The same weighted sum of outputs backpropagated through both: compare input gradients."""
        tensors = {f"a{i}": a for i, a in enumerate(args)}
        (facts, got), (_, expected) = self.observe("grad", {"args": list(tensors), "wrt": list(wrt)}, tensors)
        expect_tensor(f"The result of {self.function}", facts.get("out"), got.get("out"), expected["out"],
                      rtol=rtol, atol=atol)
        if facts.get("grad_error"):
            raise CheckFailed("no_grad", Said(
                f"Autograd cannot flow through {self.function}: {facts['grad_error']}. Build the result "
                "from torch operations on the input (no .item(), .detach(), numpy or math).",
                f"{self.function}을(를) 통해 기울기가 흐르지 않습니다: {facts['grad_error']}. 입력 텐서에 "
                "torch 연산만 사용하세요 (.item(), .detach(), numpy, math 사용 금지)."))
        for i in wrt:
            expect_tensor(f"The gradient with respect to argument {i + 1}", {"kind": "tensor"},
                          got.get(f"grad{i}"), expected[f"grad{i}"], rtol=rtol, atol=atol)
