"""Each property's examples and the reference's answers, made once per version of the checks.

Hypothesis is derandomized, so the examples a property tries on an answer that passes them all
are fixed by the checks, the strategies and the library versions: the plan. Generating a plan
costs a full hypothesis run per check, and the reference's answers to it cost the reference's
compute, which a grading run would otherwise pay in its first submission (most of a cold
`autograder grade one.ipynb`). `python -m autograder.trusted.plans` (run by `make install`) runs
every check on the reference in this process and stores both in a safetensors file (data, no
pickle); a file made for other checks, another reference or other library versions is ignored,
and everything is then computed as before.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

TRUSTED = Path(__file__).resolve().parent
PLANS_FILE = TRUSTED / "plans.safetensors"
Plan = list[dict[str, Any]]
Observation = tuple[dict[str, Any], dict[str, torch.Tensor]]


@dataclass
class Stored:
    plans: dict[tuple[str, str], Plan] = field(default_factory=dict)
    reference_answers: dict[str, Observation] = field(default_factory=dict)  # by trial.reference_key


def version() -> str:
    """What decides plans and answers: the checks, strategies, probes, the reference, the libraries."""
    digest = hashlib.sha256()
    solutions = TRUSTED.parents[1] / "solutions" / "homework.py"
    for path in sorted([TRUSTED / "strategies.py", TRUSTED / "trial.py", solutions,
                        *(TRUSTED / "checks").glob("*.py"), TRUSTED.parent / "untrusted" / "probes.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("hypothesis", "numpy", "torch"):
        digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()


def _encode(value: Any, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(value, torch.Tensor):
        name = f"t{len(tensors)}"
        tensors[name] = value.detach().clone().contiguous()
        return {"tensor": name}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [_encode(v, tensors) for v in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise TypeError(f"a generated example holds a {type(value).__name__}, which plans cannot store")


def _decode(value: dict[str, Any], tensors: dict[str, torch.Tensor]) -> Any:
    if "tensor" in value:
        return tensors[value["tensor"]].clone()  # a check may modify its input; the plan stays intact
    if "list" in value:
        return [_decode(v, tensors) for v in value["list"]]
    if "tuple" in value:
        return tuple(_decode(v, tensors) for v in value["tuple"])
    return value["value"]


def save(stored: Stored, path: Path = PLANS_FILE) -> None:
    tensors: dict[str, torch.Tensor] = {}
    plans = [{"check": check, "property": prop,
              "examples": [{name: _encode(v, tensors) for name, v in kwargs.items()} for kwargs in examples]}
             for (check, prop), examples in sorted(stored.plans.items())]
    answers = {key: {"facts": facts, "tensors": {name: _encode(t, tensors) for name, t in out.items()}}
               for key, (facts, out) in sorted(stored.reference_answers.items())}
    temporary = path.with_suffix(".tmp")
    save_file(tensors, str(temporary), metadata={"version": version(), "plans": json.dumps(plans),
                                                 "reference_answers": json.dumps(answers)})
    temporary.chmod(0o644)
    temporary.replace(path)


def load(path: Path = PLANS_FILE) -> Stored:
    """What is stored, or nothing when it was made for another version of the checks."""
    try:
        with open(path, "rb") as f:
            header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        meta = header.get("__metadata__", {})
        if meta.get("version") != version():
            return Stored()
        tensors = load_file(str(path))
        plans = {(entry["check"], entry["property"]): [{name: _decode(v, tensors) for name, v in kwargs.items()}
                                                       for kwargs in entry["examples"]]
                 for entry in json.loads(meta["plans"])}
        answers = {key: (value["facts"], {name: _decode(t, tensors) for name, t in value["tensors"].items()})
                   for key, value in json.loads(meta["reference_answers"]).items()}
        return Stored(plans, answers)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SafetensorError):
        return Stored()


def generate() -> Stored:
    """Run every check with the reference as the answer; every run passes, so each is a plan."""
    import solutions
    from autograder.in_kernel import LocalSession
    from autograder.trusted import trial as trials
    from autograder.trusted.registry import all_checks

    trials.PLANS.clear()
    trials.REFERENCE_ANSWERS.clear()
    for check in all_checks():
        reference = getattr(solutions, check.function)
        check.run(trials.Trial(check.function, LocalSession(reference), reference, public=check.public,
                               check_id=check.id))
    return Stored(dict(trials.PLANS), dict(trials.REFERENCE_ANSWERS))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PLANS_FILE  # another file: to compare, in tests
    save(generate(), target)
    written = load(target)
    print(f"wrote {len(written.plans)} plans and {len(written.reference_answers)} reference answers to {target}",
          file=sys.stderr)
