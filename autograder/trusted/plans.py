"""Each property's examples and the reference's answers, made once per version of the checks.

Hypothesis is derandomized, so the examples a property tries on an answer that passes them all
are fixed by the checks, the strategies and the library versions: the plan. Generating a plan
costs a full hypothesis run per check, and the reference's answers to it cost the reference's
compute, which a grading run would otherwise pay in its first submission (most of a cold
`autograder grade one.ipynb`). `python -m autograder.trusted.make_plans` (run by `make install`)
runs every check of an assignment on the reference and stores both in the assignment's
`plans.safetensors` (data, no pickle); a file made for other checks, another reference, other data
or other library versions is ignored, and everything is then computed as before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from autograder.trusted.assignment import Assignment

TRUSTED = Path(__file__).resolve().parent
Plan = list[dict[str, Any]]
Observation = tuple[dict[str, Any], dict[str, torch.Tensor]]


Request = tuple[str, dict[str, Any], dict[str, torch.Tensor]]  # (probe, params, tensors)


@dataclass
class Stored:
    plans: dict[tuple[str, str], Plan] = field(default_factory=dict)
    reference_answers: dict[str, Observation] = field(default_factory=dict)  # by trial.reference_key
    # Per check id, in order: every probe request the check sends an answer that passes it. The sandbox
    # answers them in one go right after loading (the fast path, see autograder/trusted/planned.py).
    requests: dict[str, list[Request]] = field(default_factory=dict)


ENGINE = ("strategies.py", "trial.py", "plans.py", "compare.py", "registry.py", "assignment.py")


def plans_file(assignment: Assignment) -> Path:
    """One file per assignment, in its trusted folder (made by `make install`, never committed)."""
    return assignment.trusted / "plans.safetensors"


def version(assignment: Assignment) -> str:
    """What decides plans and answers: the engine's checking code and probes, the assignment's trusted
    folder (reference, checks, description) and its data, the libraries."""
    digest = hashlib.sha256()
    engine = [TRUSTED / name for name in ENGINE] + [TRUSTED.parent / "untrusted" / "probes.py"]
    for path in engine + assignment.files():
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


def save(stored: Stored, assignment: Assignment, path: Path | None = None) -> None:
    tensors: dict[str, torch.Tensor] = {}
    plans = [{"check": check, "property": prop,
              "examples": [{name: _encode(v, tensors) for name, v in kwargs.items()} for kwargs in examples]}
             for (check, prop), examples in sorted(stored.plans.items())]
    answers = {key: {"facts": facts, "tensors": {name: _encode(t, tensors) for name, t in out.items()}}
               for key, (facts, out) in sorted(stored.reference_answers.items())}
    requests = {check: [{"probe": probe, "params": params,
                         "tensors": {name: _encode(t, tensors) for name, t in given.items()}}
                        for probe, params, given in calls]
                for check, calls in stored.requests.items()}
    path = path or plans_file(assignment)
    temporary = path.with_suffix(".tmp")
    save_file(tensors, str(temporary), metadata={"version": version(assignment), "plans": json.dumps(plans),
                                                 "reference_answers": json.dumps(answers),
                                                 "requests": json.dumps(requests)})
    temporary.chmod(0o644)
    temporary.replace(path)


def load(assignment: Assignment, path: Path | None = None) -> Stored:
    """What is stored, or nothing when it was made for another version of the checks."""
    path = path or plans_file(assignment)
    try:
        with open(path, "rb") as f:
            header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        meta = header.get("__metadata__", {})
        if meta.get("version") != version(assignment):
            return Stored()
        tensors = load_file(str(path))
        plans = {(entry["check"], entry["property"]): [{name: _decode(v, tensors) for name, v in kwargs.items()}
                                                       for kwargs in entry["examples"]]
                 for entry in json.loads(meta["plans"])}
        answers = {key: (value["facts"], {name: _decode(t, tensors) for name, t in value["tensors"].items()})
                   for key, value in json.loads(meta["reference_answers"]).items()}
        requests = {check: [(call["probe"], call["params"],
                             {name: _decode(t, tensors) for name, t in call["tensors"].items()})
                            for call in calls]
                    for check, calls in json.loads(meta.get("requests", "{}")).items()}
        return Stored(plans, answers, requests)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SafetensorError):
        return Stored()
