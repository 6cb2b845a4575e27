"""The audit of the checks: mutants of the reference, graded for real, must be caught (90%), and every
survivor must be equivalent to the reference or explained. A weakened suite must fail the audit."""

from __future__ import annotations

import ast
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FUNCTIONS, REPO, run_cli

from autograder.audit.mutants import generate as generate_for
from autograder.audit.mutants import reference_functions, submission
from autograder.audit.run import THRESHOLD, explanations, packs
from autograder.trusted.assignment import load, names

HOMEWORK = load("homework")
SOURCE = Path(HOMEWORK.reference().__file__).read_text(encoding="utf-8")
EXPLANATIONS = explanations(HOMEWORK)


def generate() -> list:
    return generate_for(FUNCTIONS, SOURCE)


def test_mutant_ids_are_stable_and_unique() -> None:
    first, second = generate(), generate()
    assert [(m.id, m.source, m.change) for m in first] == [(m.id, m.source, m.change) for m in second]
    assert len({m.id for m in first}) == len(first)
    assert all(m.id == f"{m.function}.{m.operator}.{m.index}" for m in first)


def test_each_mutant_changes_only_its_own_function() -> None:
    reference = {name: ast.dump(fn) for name, fn in reference_functions(SOURCE, FUNCTIONS).items()}
    for mutant in generate():
        changed = reference_functions(submission([mutant], SOURCE), FUNCTIONS)
        assert [n for n in FUNCTIONS if ast.dump(changed[n]) != reference[n]] == [mutant.function], mutant.id
        compile(submission([mutant], SOURCE), mutant.id, "exec")


def test_the_typical_slips_are_among_the_mutants() -> None:
    """The edits the audit is for: sign and operator swaps, sum for mean, forgotten steps, off-by-one loops."""
    changes = {m.change for m in generate()}
    for expected in ["`optimizer.zero_grad()` removed", "`torch.manual_seed(seed)` removed", "`p.grad = None` removed",
                     "`with torch.no_grad():` left out (its body kept)",
                     "`torch.mean` → `torch.sum` in "
                     "`return torch.mean(loss.detach() + torch.sub(yhat, yhat.detach()) * slope.detach())`",
                     "`range(epochs)` → `range(epochs - 1)` in `for _ in range(epochs):`",
                     "`p -= alpha * p.grad` → `p += alpha * p.grad` in `p -= alpha * p.grad`",
                     "`[torch.ones_like(column), column]` → `[column, torch.ones_like(column)]` in "
                     "`return torch.cat([torch.ones_like(column), column], dim=1)`",
                     "`net = torch.nn.Linear(1, 1)` moved before `torch.manual_seed(seed)`"]:
        assert expected in changes


def test_one_file_holds_at_most_one_mutant_per_function() -> None:
    mutants = generate()
    grouped = packs(mutants, FUNCTIONS)
    assert sorted(m.id for pack in grouped for m in pack) == sorted(m.id for m in mutants)
    assert all(len({m.function for m in pack}) == len(pack) for pack in grouped)


def test_every_explanation_names_a_current_mutant() -> None:
    current = {m.id: m.change for m in generate()}
    assert {i: e.change for i, e in EXPLANATIONS.items() if current.get(i) != e.change} == {}


@pytest.mark.parametrize("name", names())
def test_the_checks_catch_the_mutants(tmp_path: Path, name: str) -> None:
    """The gate, for every assignment: `autograder audit` for real (sandbox, worker pool), as `make audit` runs it."""
    done = run_cli("audit", "--assignment", name, "--out", str(tmp_path), "--jobs", "2", timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with (tmp_path / "audit.csv").open(encoding="utf-8") as file:
        rows = {row["mutant"]: row for row in csv.DictReader(file)}
    described = load(name)
    source = Path(described.reference().__file__).read_text(encoding="utf-8")
    assert set(rows) == {m.id for m in generate_for(described.function_names, source)}
    counted = [r for r in rows.values() if r["status"] != "equivalent"]
    score = sum(r["status"] == "killed" for r in counted) / len(counted)
    assert score >= THRESHOLD
    unexplained = [i for i, r in rows.items() if r["status"] == "survived" and not r["explanation"]]
    assert unexplained == [], f"survivors with no explanation: {unexplained}"
    unneeded = [i for i in explanations(described) if rows[i]["status"] != "survived"]
    assert unneeded == [], f"explanations of mutants that no longer survive: {unneeded}"
    if name == "homework":  # mathematically the reference, so the equivalence checks must pass them
        for equivalent in ("sigmoid.comparison.0", "bce_loss.reordered_statements.0"):
            assert rows[equivalent]["status"] == "equivalent"
    assert f"mutation score {score:.1%}" in done.stdout
    assert "| **all** |" in (tmp_path / "audit.md").read_text(encoding="utf-8")


# Runs in its own process: the audit grades there with jobs=1, so deleting checks from the registry reaches the
# grader, and nothing of that run (the registry, hypothesis, the sandbox) stays in the test process.
WEAKENED_AUDIT = """
import json, sys
from pathlib import Path
from autograder.audit import run
from autograder.trusted import registry

from autograder.trusted.assignment import load

deleted = set(sys.argv[2:])
every = registry.all_checks("homework")
kept = [c for c in every if c.function == "train_logistic" and c.id not in deleted]
assert len(kept) == len([c for c in every if c.function == "train_logistic"]) - len(deleted)
registry.all_checks = run.all_checks = lambda assignment, public_only=False: kept
audit = run.run_audit(load("homework"), Path(sys.argv[1]), functions=("train_logistic",), jobs=1)
print(json.dumps({"score": audit.score(), "unexplained": sorted(v.mutant.id for v in audit.unexplained)}))
"""


@pytest.mark.parametrize(("deleted", "survivors"), [
    (("homework/train_logistic.defaults", "homework/train_logistic.seeds_itself",
      "homework/train_logistic.saturating_data_stays_finite", "homework/train_logistic.leaves_data_alone"),
     ["train_logistic.constant.0", "train_logistic.constant.1", "train_logistic.constant.2"]),
])
def test_deleting_checks_fails_the_audit(tmp_path: Path, deleted: tuple[str, ...], survivors: list[str]) -> None:
    """An instructor drops the checks with the default arguments: the audit does not let that through."""
    done = subprocess.run([sys.executable, "-c", WEAKENED_AUDIT, str(tmp_path), *deleted], capture_output=True,
                          text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["score"] < THRESHOLD
    assert found["unexplained"] == survivors
