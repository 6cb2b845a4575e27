"""A trial: one check's access to the student's function (remote) and the reference's (local).

The same probe runs on both; the student's answer comes back over the channel as data, the
reference's is computed here. Checks say what to try and what to compare; the trial attaches
what was tried to a failure (values for public checks, only shapes and dtypes for hidden ones).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import torch
from hypothesis import Phase, example, given, settings
from hypothesis.control import current_build_context
from hypothesis.errors import Flaky

from autograder.trusted import plans as stored_plans
from autograder.trusted.assignment import load as load_assignment
from autograder.trusted.compare import ZERO_GRADIENT, Pitfall, expect_tensor, zero_where_nonzero
from autograder.trusted.plans import Observation, Request
from autograder.trusted.profile import phase
from autograder.trusted.strategies import GRADING
from autograder.trusted.verdict import CheckFailed, Said, code
from autograder.untrusted import probes

if TYPE_CHECKING:
    from autograder.trusted.registry import Check
    from autograder.trusted.sandbox import CheckSession

SHRINK_BUDGET = 15
PUBLIC_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
HIDDEN_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]  # hidden checks show no values: nothing to shrink

# Per grading process: the examples of each property's all-passing run (stored ones first, see
# autograder.trusted.plans), and the reference's answers; check ids name their assignment.
PLANS: dict[tuple[str, str], list[dict[str, Any]]] = {}
REFERENCE_ANSWERS: dict[str, Observation] = {}
REQUESTS: dict[str, dict[str, list[Request]]] = {}  # per assignment, per check id: what it sends (planned.py)
LOADED: set[str] = set()  # assignments whose stored plans were read into the three above


def load_stored(assignment: str) -> None:
    if assignment in LOADED:
        return
    LOADED.add(assignment)
    stored = stored_plans.load(load_assignment(assignment))
    PLANS.update(stored.plans)
    REFERENCE_ANSWERS.update(stored.reference_answers)
    if stored.requests:
        REQUESTS[assignment] = stored.requests


def _unreliable(function: str, flaky: BaseException) -> CheckFailed:
    """The first failure a flaky run saw, told as such: the same input gave different answers (uninitialised
    memory from torch.empty, unseeded randomness), so the student's function is wrong, not the grader."""
    stack: list[BaseException] = [flaky]
    while stack:
        found = stack.pop(0)
        if isinstance(found, CheckFailed):
            found.said = Said(found.said.en + f" Called again on the same input, {function} answered differently "
                              "(torch.empty? unseeded randomness?).",
                              found.said.ko + f" 같은 입력으로 다시 호출하자 {function} 함수가 다른 답을 냈습니다 "
                              "(`torch.empty`? 시드 없는 난수?).")
            return found
        stack += list(getattr(found, "exceptions", ()))
    return CheckFailed("unreliable", Said(f"{function} gave different answers for the same input.",
                                          f"{function} 함수가 같은 입력에 다른 답을 냈습니다."))


class _Recorded(BaseException):
    """Stops a property at its first probe request while the fast path collects requests."""


class _ShrinkSpent(BaseException):
    """Ends a hypothesis run whose shrink budget is spent (not an Exception: hypothesis lets it through)."""


try:  # how hypothesis itself orders examples from simplest to most complex, where this version has it
    from hypothesis.internal.conjecture.shrinker import sort_key as _sort_key
except ImportError:  # another version: the latest failure found is taken as the simplest (the shrinker's way)
    _sort_key = None


def _simplicity() -> tuple[Any, ...]:
    """The current example's place in hypothesis's own simplest-first order; () where it cannot be told."""
    if _sort_key is None:
        return ()
    try:
        return tuple(_sort_key(current_build_context().data.nodes))
    except Exception:  # noqa: BLE001 - an internal that moved: fall back to the latest failure
        return ()


def request_key(request: Request) -> tuple[Any, ...]:
    probe, params, tensors = request
    return (probe, json.dumps(params, sort_keys=True)) + _key(tensors)


def reference_key(function: str, request_key: tuple[Any, ...]) -> str:
    """A stable name for one request to one reference function (a digest: requests hold tensor bytes)."""
    return hashlib.sha256(repr((function, request_key)).encode()).hexdigest()


def _key(kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """An exact, hashable identity for one generated example (tensors by dtype, shape and bytes)."""
    def one(value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            return (str(value.dtype), tuple(value.shape), value.numpy().tobytes())
        if isinstance(value, (list, tuple)):
            return tuple(one(v) for v in value)
        return repr(value)
    return tuple((name, one(kwargs[name])) for name in sorted(kwargs))


def show(name: str, value: Any, *, public: bool) -> str:
    if isinstance(value, torch.Tensor):
        shape = "(" + ", ".join(map(str, value.shape)) + ("," if value.dim() == 1 else "") + ")"
        kind = f"shape {shape}, {str(value.dtype).replace('torch.', '')}"
        if not public:
            return f"{name}: {kind}"
        text = repr(value)
        return f"{name} = {text if len(text) <= 400 else text[:400] + ' ...'}  [{kind}]"
    return f"{name} = {value!r}" if public else f"{name}: {type(value).__name__}"


def _grad_error_ko(error: str) -> str:
    """The probe's reason, in Korean where it is the probe's own sentence."""
    if str(error).startswith("its result does not require grad"):
        return "결과가 requires_grad가 아닙니다. 계산이 autograd 밖으로 나갔습니다"
    return code(error)


class Trial:
    @classmethod
    def of(cls, check: Check, session: CheckSession) -> Trial:
        """The trial of one registered check: its function answered by `session`, against the reference."""
        reference = getattr(load_assignment(check.assignment).reference(), check.function)
        return cls(check.function, session, reference, public=check.public, check_id=check.id,
                   assignment=check.assignment)

    def __init__(self, function: str, session: CheckSession, reference: Callable[..., Any], *,
                 public: bool, check_id: str, assignment: str) -> None:
        load_stored(assignment)
        self.assignment = assignment
        self.function = function
        self.session = session
        self.reference = reference
        self.public = public
        self.settings = GRADING
        self.check_id = check_id
        self._recording: list[Request] | None = None
        self._replay_answers: dict[tuple[Any, ...], Observation] | None = None
        self._seen: list[dict[str, Any]] | None = None
        self.result_name = Said(f"The result of {function}", f"{function}의 결과")
        self.kept: dict[str, Any] = {}  # what a public check keeps of the answer for the feedback's plots

    def given(self, *, examples: tuple[dict[str, Any], ...] = (), **strategies: Any
              ) -> Callable[[Callable[..., None]], Callable[[], None]]:
        """hypothesis.given with the grading settings; the property runs when called.

        Shrinking makes a public failure readable (`u=[89.]`, not forty random floats) but can cost
        hundreds of calls, each drawing its example anew: after SHRINK_BUDGET calls past the first
        failure the run ends, and the failure reported is the simplest one found so far, in hypothesis's
        own order (the one its shrinker had reached). A call count, not a clock: the same answer always
        gets the same example. Hidden checks show only shapes and dtypes, so they do not shrink at all.
        """
        simplest: tuple[tuple[Any, ...], CheckFailed] | None = None  # (its rank, the simplest failure so far)
        calls_after_failure = 0

        def wrap(prop: Callable[..., None]) -> Callable[[], None]:
            @functools.wraps(prop)
            def guarded(**kwargs: Any) -> None:
                nonlocal calls_after_failure, simplest
                if self._seen is not None:
                    self._seen.append(kwargs)
                if simplest is not None:
                    calls_after_failure += 1
                    if calls_after_failure > SHRINK_BUDGET:
                        raise _ShrinkSpent
                try:
                    prop(**kwargs)
                except CheckFailed as failure:
                    rank = _simplicity()
                    if simplest is None or not rank or rank <= simplest[0]:
                        simplest = (rank, failure)
                    raise

            # No explain phase: it runs after shrinking has settled the example reported, and its notes
            # are never shown; it only costs hypothesis more calls and line tracing.
            phases = PUBLIC_PHASES if self.public else HIDDEN_PHASES
            configured = settings(self.settings, phases=phases)
            test = given(**strategies)(guarded)
            for explicit in examples:  # always tried first, in every run
                test = example(**explicit)(test)
            test = configured(test)
            plan_id = (self.check_id, prop.__qualname__)

            def run() -> None:
                plan = PLANS.get(plan_id)
                if plan is not None:
                    failure = self._replay(prop, plan)
                    if failure is None:
                        return
                    if not self.public:  # no shrinking: hypothesis would report this very example
                        raise failure
                seen: list[dict[str, Any]] = []
                self._seen = seen
                try:
                    with phase("hypothesis"):
                        test()
                except _ShrinkSpent:
                    assert simplest is not None  # spent only after a failure
                    raise simplest[1] from None
                except Flaky as flaky:  # the answer changed between two calls on the very same input
                    raise _unreliable(self.function, flaky) from None
                finally:
                    self._seen = None
                if simplest is None:  # an all-passing run: exactly the examples any passing answer meets
                    PLANS[plan_id] = seen
            return run
        return wrap

    def _replay(self, prop: Callable[..., None], plan: list[dict[str, Any]]) -> CheckFailed | None:
        """The fast path: the plan's examples sent in one batch; the first failure, or None.

        First each example's first probe request is recorded (the property stops there), then all
        of them go to the sandbox at once, then the property runs again on the answers. A pass
        means the answer passed every example hypothesis itself would have tried; derandomized,
        hypothesis would also have met the first failing example first.
        """
        if hasattr(self.session, "planned"):  # the answers are here already (autograder/trusted/planned.py)
            try:
                for kwargs in plan:
                    prop(**kwargs)
            except CheckFailed as failure:
                return failure
            return None
        requests: list[Request] = []
        self._recording = requests
        try:
            for kwargs in plan:
                try:
                    prop(**kwargs)
                except _Recorded:
                    pass
        finally:
            self._recording = None
        answers = self.session.call_many(requests)
        self._replay_answers = {request_key(r): a for r, a in zip(requests, answers)}
        try:
            for kwargs in plan:
                prop(**kwargs)
        except CheckFailed as failure:
            return failure
        finally:
            self._replay_answers = None
        return None

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
        request = (probe, params, tensors)
        key = request_key(request)
        student = self._answer(request, key)
        answer_key = reference_key(f"{self.assignment}/{self.function}", key)
        reference = REFERENCE_ANSWERS.get(answer_key)
        if reference is None:  # the reference is deterministic: each distinct request is computed once
            with phase("reference (not stored)"):
                reference = probes.run(probe, self.reference, tensors, params)
            if "error" in reference[0]:
                raise RuntimeError(f"the reference failed on probe {probe}: {reference[0]['error']}")
            REFERENCE_ANSWERS[answer_key] = reference
        return student, reference

    def answer(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]) -> Observation:
        """The student's observation alone, for a check that compares the student's answers with each other (no
        reference run is due); a raised exception fails the check."""
        request = (probe, params, tensors)
        return self._answer(request, request_key(request))

    def _answer(self, request: Request, key: tuple[Any, ...]) -> Observation:
        if self._recording is not None:
            self._recording.append(request)
            raise _Recorded
        student = self._student(key, request)
        error = student[0].get("error")
        if error:
            raise self.raised(error)
        return student

    def _student(self, key: tuple[Any, ...], request: Request) -> Observation:
        """The student's answer to one request: planned (answered right after loading), batched by a replay,
        or asked now."""
        planned = getattr(self.session, "planned", None)
        answer = planned(key) if planned is not None else None
        if answer is not None:
            return answer
        if self._replay_answers is not None and key in self._replay_answers:
            return self._replay_answers.pop(key)
        return self.session.call(*request)

    def raised(self, error: dict[str, Any]) -> CheckFailed:
        where = error.get("where") or {}
        at_en = f" (line {where.get('line')}: `{str(where.get('code', '')).strip()}`)" if where else ""
        at_ko = f" ({where.get('line')}번째 줄 {code(str(where.get('code', '')).strip())})" if where else ""
        kind, message = str(error.get("type", "Exception")), str(error.get("message", ""))[:500]
        if kind == "SystemExit":
            return CheckFailed("exit", Said(f"{self.function} called sys.exit(){at_en}.",
                                            f"{self.function} 함수가 `sys.exit()`를 호출했습니다{at_ko}."))
        if kind == "NotImplementedError":
            return CheckFailed("not_implemented", Said(
                f"{self.function} is not implemented yet (it raises NotImplementedError).",
                f"{self.function} 함수가 아직 구현되지 않았습니다 (`NotImplementedError`가 발생합니다)."))
        return CheckFailed("error", Said(f"{self.function} raised {kind}: {message}{at_en}",
                                         f"{self.function} 함수에서 예외가 발생했습니다{at_ko}: "
                                         f"{code(f'{kind}: {message}')}"),
                           detail={"exception": kind})

    def call(self, *args: torch.Tensor, **kwargs: Any) -> tuple[Observation, Observation]:
        tensors = {f"a{i}": a for i, a in enumerate(args)}
        return self.observe("call", {"args": list(tensors), "kwargs": kwargs}, tensors)

    def same_output(self, *args: torch.Tensor, rtol: float = 1e-5, atol: float = 1e-6,
                    pitfalls: Sequence[Pitfall] = (), **kwargs: Any) -> None:
        """fn(*args) matches the reference in type, dtype, shape and value."""
        (facts, got), (_, expected) = self.call(*args, **kwargs)
        expect_tensor(self.result_name, facts.get("out"), got.get("out"), expected["out"],
                      rtol=rtol, atol=atol, pitfalls=pitfalls)

    def same_gradient(self, *args: torch.Tensor, wrt: tuple[int, ...] = (0,), rtol: float = 1e-4,
                      atol: float = 1e-6, pitfalls: Sequence[Pitfall] = (), grad_pitfalls: Sequence[Pitfall] = ()
                      ) -> None:
        """The same weighted sum of outputs backpropagated through both: compare input gradients."""
        tensors = {f"a{i}": a for i, a in enumerate(args)}
        (facts, got), (_, expected) = self.observe("grad", {"args": list(tensors), "wrt": list(wrt)}, tensors)
        expect_tensor(self.result_name, facts.get("out"), got.get("out"), expected["out"],
                      rtol=rtol, atol=atol, pitfalls=pitfalls)
        if facts.get("grad_error"):
            raise CheckFailed("no_grad", Said(
                f"Autograd cannot flow through {self.function}: {facts['grad_error']}. Build the result "
                "from torch operations on the input (no .item(), .detach(), numpy or math).",
                f"{self.function} 함수의 결과에서 입력으로 기울기가 흐르지 않습니다"
                f"({_grad_error_ko(facts['grad_error'])}). "
                "입력 텐서에 torch 연산만 쓰세요 (`.item()`, `.detach()`, numpy, math는 쓰지 마세요)."))
        names = load_assignment(self.assignment).function(self.function).positional
        called = f"{self.function}({', '.join(names[:len(args)])})"
        weights = probes.grad_weights(expected["out"])
        shown = (f"w = {[round(float(v), 4) for v in weights.reshape(-1)]}" if self.public and weights.numel() <= 8
                 else f"w evenly spaced from -1 to 2 over the {weights.numel()} outputs")
        shown_ko = (f"`w = {[round(float(v), 4) for v in weights.reshape(-1)]}`" if self.public and weights.numel() <= 8
                    else f"`w`는 출력 {weights.numel()}개에 걸쳐 -1부터 2까지 같은 간격")
        for i in wrt:
            argument = names[i] if i < len(names) else f"argument {i + 1}"
            name = Said(f"The gradient with respect to {argument} of sum(w · {called}), {shown},",
                        f"`sum(w * {called})`를 {argument}로 미분한 기울기({shown_ko})")
            expect_tensor(name, {"kind": "tensor"}, got.get(f"grad{i}"), expected[f"grad{i}"], rtol=rtol, atol=atol,
                          pitfalls=[*grad_pitfalls, Pitfall("zero_gradient", ZERO_GRADIENT, zero_where_nonzero)])

    def expect_same_result(self, student: Observation, reference: Observation, *, rtol: float = 1e-5,
                           atol: float = 1e-6, pitfalls: Sequence[Pitfall] = ()) -> None:
        """One call probe's result against the reference's on the same call (for `right_first`)."""
        (facts, got), (_, expected) = student, reference
        expect_tensor(self.result_name, facts.get("out"), got.get("out"), expected.get("out"), rtol=rtol, atol=atol,
                      pitfalls=pitfalls)

    def right_first(self, compare: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A side-effect check counts only when the function's result on the same input is right:
        `compare` (that result against the reference's) runs first, and a wrong result fails this
        check too, saying why. Doing nothing must not earn the points of leaving things alone."""
        try:
            return compare(*args, **kwargs)
        except CheckFailed as failure:
            raise CheckFailed("result_first", Said(
                f"Not counted: this check counts only when the result of {self.function} on the same input is "
                f"right, and it is not. {failure.said.en}",
                f"점수 없음: 이 검사는 같은 입력에서 {self.function} 함수의 결과가 맞을 때만 점수를 줍니다. "
                f"결과가 틀렸습니다. {failure.said.ko}"),
                detail={**failure.detail, "result_first": failure.kind}, hint=failure.hint) from None

    def expect_unchanged(self, got: dict[str, torch.Tensor], inputs: dict[str, tuple[torch.Tensor, str]]) -> None:
        """Each input, as the probe found it after the call (`got[key]`), is what was passed in."""
        for name, (before, key) in inputs.items():
            after = got.get(key)
            if (after is None or after.dtype != before.dtype or after.shape != before.shape
                    or not torch.equal(after, before)):
                raise CheckFailed("mutated", Said(
                    f"{self.function} changed its input {name} (an in-place operation?).",
                    f"{self.function} 함수가 입력 {name} 텐서를 바꾸었습니다 (제자리(in-place) 연산을 썼나요?)."))

    def observe_allowing_errors(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]
                                ) -> tuple[Observation, Observation]:
        """(student, reference) observations of a probe where raising is part of the answer (a function that
        must refuse some inputs): an exception on either side comes back as its facts ({"error": {"type",
        "message", "where"}}) instead of failing the check; the check decides (`raised` words the student's)."""
        request = (probe, params, tensors)
        if self._recording is not None:
            self._recording.append(request)
            raise _Recorded
        key = request_key(request)
        student = self._student(key, request)
        answer_key = reference_key(f"{self.assignment}/{self.function}", key)
        reference = REFERENCE_ANSWERS.get(answer_key)
        if reference is None:  # deterministic, errors included: each distinct request is computed once
            with phase("reference (not stored)"):
                reference = probes.run(probe, self.reference, tensors, params)
            REFERENCE_ANSWERS[answer_key] = reference
        return student, reference
