"""Checks of the files students get: the stub module and the notebook generated from it.

The stubs must match the reference solutions' signatures (the grader calls both the same way), must
not be answered already, and the notebook must carry exactly the stub code, so neither can drift.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
HOMEWORK_DIR = ROOT / "assignments" / "homework"
STUB_PATH = HOMEWORK_DIR / "homework.py"
NOTEBOOK_PATH = HOMEWORK_DIR / "homework.ipynb"
SOLUTION_PATH = ROOT / "solutions" / "homework" / "reference.py"

FUNCTIONS = ("build_X", "update", "sigmoid", "bce_loss", "train_logistic", "train_linear")


def load_module(path: Path, name: str) -> ModuleType:
    """Import a file by path, so the test does not depend on sys.path or on package layout."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stub() -> ModuleType:
    return load_module(STUB_PATH, "homework_stub_under_test")


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    return load_module(SOLUTION_PATH, "homework_reference_under_test")


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_PATH, as_version=4)


def stub_function_sources() -> dict[str, str]:
    source = STUB_PATH.read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }


def run_maker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autograder.cli", "notebook", *args], capture_output=True, text=True,
                          timeout=120, check=False, cwd=ROOT)


def with_grad(t: torch.Tensor) -> torch.Tensor:
    t.requires_grad_(True)
    t.grad = torch.ones_like(t)
    return t


# Valid arguments for each function, built fresh per call: the reference must accept them, so a
# NotImplementedError from the stub comes from its body, not from bad arguments.
SAMPLE_ARGS: dict[str, Callable[[], tuple[Any, ...]]] = {
    "build_X": lambda: (torch.arange(3),),
    "update": lambda: ([with_grad(torch.zeros(2, 1)), with_grad(torch.zeros(1))], 0.1),
    "sigmoid": lambda: (torch.linspace(-3, 3, 5),),
    "bce_loss": lambda: (torch.full((4, 1), 0.5), torch.tensor([[0.0], [1.0], [1.0], [0.0]])),
    "train_logistic": lambda: (
        torch.linspace(-1, 1, 4).reshape(4, 1),
        torch.tensor([[0.0], [0.0], [1.0], [1.0]]),
    ),
    "train_linear": lambda: (torch.linspace(-1, 1, 4).reshape(4, 1), torch.linspace(0, 3, 4).reshape(4, 1)),
}


@pytest.mark.parametrize("assignment", ["homework", "layers"])
def test_notebook_is_in_sync(assignment: str) -> None:
    result = run_maker("--assignment", assignment, "--check")
    assert result.returncode == 0, (
        f"{assignment}.ipynb differs from what the generator writes; "
        f"run: autograder notebook --assignment {assignment}\n{result.stdout}{result.stderr}"
    )


def test_check_detects_a_stale_notebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autograder.trusted.assignment import load
    from autograder.trusted.make_notebook import write_or_check

    stale = tmp_path / "homework.ipynb"
    shutil.copyfile(NOTEBOOK_PATH, stale)
    assert write_or_check(load("homework"), check=True, target=stale) == 0
    nb = nbformat.read(stale, as_version=4)
    nb.cells[0].source += "\nedited by hand"
    nbformat.write(nb, stale)
    assert write_or_check(load("homework"), check=True, target=stale) == 1
    assert "out of date" in capsys.readouterr().err


def test_stub_defines_exactly_the_six_functions() -> None:
    assert sorted(stub_function_sources()) == sorted(FUNCTIONS)


def test_stub_runs_nothing_at_import() -> None:
    """Only the docstring, imports and function definitions may sit at the top level."""
    tree = ast.parse(STUB_PATH.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), "module docstring missing"
    assert "autograder check homework.py" in (ast.get_docstring(tree) or "")
    for node in tree.body[1:]:
        assert isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef)), ast.dump(node)[:80]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_stub_signature_matches_reference(name: str, stub: ModuleType, reference: ModuleType) -> None:
    def shape(function: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
        return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]

    assert shape(getattr(stub, name)) == shape(getattr(reference, name))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_stub_body_is_the_placeholder(name: str) -> None:
    """Docstring, then exactly `# YOUR CODE HERE` and `raise NotImplementedError()`."""
    node = ast.parse(stub_function_sources()[name]).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert ast.get_docstring(node), f"{name} has no docstring"
    assert [ast.unparse(statement) for statement in node.body[1:]] == ["raise NotImplementedError()"]
    lines = [line.strip() for line in stub_function_sources()[name].splitlines()]
    assert lines[-2:] == ["# YOUR CODE HERE", "raise NotImplementedError()"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_stub_raises_not_implemented(name: str, stub: ModuleType, reference: ModuleType) -> None:
    getattr(reference, name)(*SAMPLE_ARGS[name]())  # the arguments are valid
    with pytest.raises(NotImplementedError):
        getattr(stub, name)(*SAMPLE_ARGS[name]())


@pytest.mark.parametrize("name", FUNCTIONS)
def test_notebook_function_cell_matches_stub(name: str, notebook: nbformat.NotebookNode, reference: ModuleType
                                             ) -> None:
    tagged = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and f"function:{name}" in cell.metadata.get("tags", [])
    ]
    assert len(tagged) == 1, f"expected one cell tagged function:{name}, found {len(tagged)}"
    source = tagged[0].source
    begin, end = "    ### BEGIN SOLUTION\n", "\n    ### END SOLUTION"
    assert source.count(begin) == 1 and source.count(end) == 1
    head, rest = source.split(begin)
    answer, tail = rest.split(end)
    placeholder = "    # YOUR CODE HERE\n    raise NotImplementedError()"
    # What nbgrader releases (the region replaced by the placeholder) is exactly the stub ...
    assert head + placeholder + tail == stub_function_sources()[name]
    # ... and the region holds the reference's own body, so the reference exists once.
    assert answer in Path(reference.__file__).read_text(encoding="utf-8")
    assert tagged[0].metadata["nbgrader"]["solution"] is True


def test_notebook_has_no_outputs(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


def test_notebook_code_cells_compile(notebook: nbformat.NotebookNode) -> None:
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    for cell in code_cells:
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        compile("\n".join(lines), f"<notebook {cell.id}>", "exec")
