"""The engine names no assignment, its imports go one way, and every command knows its assignment:
named, inferred from the files, or the only one; otherwise it stops and lists them."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SUBMISSIONS, run_cli

from autograder.trusted import assignment
from autograder.trusted.registry import all_checks

ENGINE = REPO / "autograder"
NAMES = re.compile(r"build_X|bce_loss|train_logistic|train_linear|to_column|lecture_net|mse_loss|"
                   r"solutions\.homework|assignments\.homework")


def test_the_engine_names_no_assignment() -> None:
    """The Done-when grep: no function or module of any assignment in the engine's code."""
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()}" for path in sorted(ENGINE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if NAMES.search(line)]
    assert found == []
    every = {f for name in assignment.names() for f in assignment.load(name).function_names}
    words = {w for path in ENGINE.rglob("*.py") for w in re.findall(r"\w+", path.read_text(encoding="utf-8"))}
    assert (every - {"update", "sigmoid", "fit"}) & words == set()  # none of them, short generic words aside


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The engine modules a module imports, at any depth of its code (lazy imports count);
    `from package import module` is an import of that module, not of the package's __init__."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & modules
            found |= submodules if len(submodules) == len(node.names) else {node.module} | submodules
    if_type_checking = [n for n in ast.walk(tree) if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
    for block in if_type_checking:
        for node in ast.walk(block):
            if isinstance(node, ast.ImportFrom) and node.module:
                found -= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): p
               for p in ENGINE.rglob("*.py")}
    return {name: {m for m in _imports(path, set(modules)) if m in modules and m != name}
            for name, path in modules.items()}


def test_no_import_cycle_in_the_engine() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_layers_of_trust() -> None:
    """Nothing trusted imports the in-kernel leaves; the untrusted side imports nothing trusted."""
    graph = _graph()
    for name, imported in graph.items():
        if name.startswith("autograder.trusted") or name.startswith("autograder.audit"):
            assert not imported & {"autograder.in_kernel", "autograder.notebook"}, name
        if name.startswith("autograder.untrusted") or name == "autograder.channel":
            assert not any(m.startswith(("autograder.trusted", "autograder.audit")) for m in imported), name


def test_autograder_assignments_lists_both() -> None:
    done = run_cli("assignments")
    assert done.returncode == 0, done.stderr
    for name in ("homework", "layers"):
        described = assignment.load(name)
        checks = all_checks(name)
        assert name in done.stdout and f"{sum(c.points for c in checks):g}" in done.stdout
        assert all(f in done.stdout for f in described.function_names)


def test_check_ids_name_their_assignment() -> None:
    for name in assignment.names():
        assert all(c.id.startswith(f"{name}/") and c.assignment == name for c in all_checks(name))


def test_an_unnamed_assignment_stops_with_the_list(tmp_path: Path) -> None:
    """Files that name no assignment, in a course with two: a clear error listing both, nothing graded."""
    done = run_cli("grade", str(SUBMISSIONS / "demo" / "correct.py"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "--assignment" in done.stderr
    assert "homework" in done.stderr and "layers" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    done = run_cli("grade", str(SUBMISSIONS / "demo" / "correct.py"), "--assignment", "nope", "--out", str(tmp_path))
    assert done.returncode == 2 and "no assignment 'nope'" in done.stderr and "homework, layers" in done.stderr


def test_the_assignment_is_inferred_from_the_file_name_and_the_notebook_metadata(tmp_path: Path) -> None:
    named = tmp_path / "homework.py"
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", named)
    assert assignment.choose(None, [named]).name == "homework"
    notebook = tmp_path / "my_work.ipynb"  # renamed, but the released notebook's metadata names it
    shutil.copy(REPO / "assignments" / "layers" / "layers.ipynb", notebook)
    assert json.loads(notebook.read_text())["metadata"]["autograder"]["assignment"] == "layers"
    assert assignment.choose(None, [notebook]).name == "layers"
    with pytest.raises(assignment.AssignmentProblem, match="several"):
        assignment.choose(None, [named, notebook])


def test_the_gradebook_fingerprint_follows_the_assignments_own_files(tmp_path: Path) -> None:
    from dataclasses import replace

    from autograder.trusted.gradebook import fingerprint

    homework, layers = assignment.load("homework"), assignment.load("layers")
    assert fingerprint(homework) != fingerprint(layers)
    copy = tmp_path / "public"
    shutil.copytree(homework.public, copy)
    before = fingerprint(replace(homework, public=copy))
    (copy / "data.py").write_text((copy / "data.py").read_text() + "\n# changed\n")
    assert fingerprint(replace(homework, public=copy)) != before


def test_a_check_module_for_an_unknown_function_is_an_error(tmp_path: Path) -> None:
    """A new check module is never silently left out: a function of no assignment stops the registry."""
    code = ("from autograder.trusted.registry import check\n"
            "@check('nope', spec='s', points=1, public=True)\n"
            "def values(trial):\n    '''t'''\n")
    done = subprocess.run(
        [sys.executable, "-c", "import sys, types; from autograder.trusted import registry; m = types.ModuleType("
         "'solutions.homework.checks.nope'); exec(compile(sys.argv[1], 'nope.py', 'exec'), m.__dict__)", code],
        capture_output=True, text=True, cwd=REPO)
    assert done.returncode != 0 and "'nope' is not a function of homework" in done.stderr
