"""Write an assignment's source notebook (nbgrader's) from its stubs, data, text and reference.

The notebook's text is `assignments/<name>/notebook.md`: cells separated by a line `+++`; a block
fenced as ```python is a code cell; `{source data.py} A B` is a code cell holding those top-level
definitions cut out of that public file (constants first); `{answer} f` is function `f`'s answer
cell (the stub cut out of `<name>.py`, its body the reference's inside nbgrader's solution region)
followed by a locked autograder-test cell worth f's points in the registry; any other block is
Markdown. Nothing is retyped. `nbgrader generate_assignment` (or `autograder release NAME`) strips
the solutions and hidden tests into the student's notebook. The output is deterministic (fixed
cell ids, no outputs), so `--check` can compare bytes. The notebook's metadata names its
assignment, so a released copy says which assignment it is.

Usage: `autograder notebook --assignment NAME [--check]`.
"""

from __future__ import annotations

import ast
import io
import re
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from autograder.trusted.assignment import Assignment
from autograder.trusted.registry import points as registry_points


class NotebookProblem(Exception):
    """The assignment's files do not make a notebook: said with the file and what is wrong."""


def top_level_sources(path: Path, names: tuple[str, ...]) -> dict[str, str]:
    """Source text of the named top-level functions and constants, cut out of the file, not retyped."""
    source = path.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            if node.decorator_list:
                raise NotebookProblem(f"{path.name}: {node.name} has decorators; the notebook cell would drop them")
            name = node.name
        elif (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
        else:
            continue
        segment = ast.get_source_segment(source, node)
        if name in names and segment is not None:
            found[name] = segment
    missing = [name for name in names if name not in found]
    if missing:
        raise NotebookProblem(f"{path.name}: not found at top level: {', '.join(missing)}")
    return {name: found[name] for name in names}


PLACEHOLDER = "    # YOUR CODE HERE\n    raise NotImplementedError()"

TEST_CELL = """# 자동 채점 셀: 수정하지 마세요 / Autograder cell: do not edit.
# {name}: {points:g}점 / {points:g} points. 미리 확인 / check first: autograder check {notebook}
### BEGIN HIDDEN TESTS
from autograder.in_kernel import score
score("{assignment}", "{name}", globals())
### END HIDDEN TESTS"""


def reference_bodies(reference: Path, functions: tuple[str, ...]) -> dict[str, str]:
    """Each reference function's body (docstring dropped), as written in the reference."""
    source = reference.read_text(encoding="utf-8")
    lines = source.splitlines()
    bodies = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            bodies[node.name] = "\n".join(lines[body[0].lineno - 1:node.end_lineno])
    return bodies


def solution_cell(stub: str, body: str) -> str:
    """The stub with its placeholder replaced by the reference inside nbgrader's solution region.

    `nbgrader generate_assignment` turns the region back into the placeholder, so the released
    cell is exactly the stub; a test checks both directions.
    """
    if stub.count(PLACEHOLDER) != 1:
        raise NotebookProblem("a stub's body must be exactly the placeholder:\n" + PLACEHOLDER)
    return stub.replace(PLACEHOLDER, f"    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION")


def nbgrader_metadata(name: str, *, test: bool, points: float = 0) -> dict:
    if test:
        return {"grade": True, "grade_id": f"test_{name}", "locked": True, "points": points,
                "schema_version": 3, "solution": False, "task": False}
    return {"grade": False, "grade_id": name, "locked": False, "schema_version": 3, "solution": True,
            "task": False}


def blocks(text: str) -> list[str]:
    """notebook.md's blocks, in order."""
    return [block.strip("\n") for block in re.split(r"^\+\+\+[ \t]*$", text, flags=re.MULTILINE)]


def build_notebook(assignment: Assignment) -> NotebookNode:
    """The whole notebook; cell ids come from positions so that two runs give the same bytes."""
    text_path = assignment.public / "notebook.md"
    stub_path = assignment.public / assignment.submission_names[1]
    for needed in (text_path, stub_path):
        if not needed.is_file():
            raise NotebookProblem(f"{needed}: missing (see the README, \"Adding an assignment\")")
    functions = top_level_sources(stub_path, assignment.function_names)
    bodies = reference_bodies(Path(assignment.reference().__file__), assignment.function_names)
    points = registry_points(assignment.name)
    notebook_name = assignment.submission_names[0]
    v4 = nbformat.v4
    cells = []
    answered = []
    for block in blocks(text_path.read_text(encoding="utf-8")):
        first, _, rest = block.partition("\n")
        if block.startswith("```python\n") and block.endswith("\n```"):
            cells.append(v4.new_code_cell(block[len("```python\n"):-len("\n```")]))
        elif first.startswith("{answer}") and not rest:
            name = first.removeprefix("{answer}").strip()
            if name not in functions:
                raise NotebookProblem(f"{text_path}: {{answer}} {name}: not a function of {assignment.name}")
            answered.append(name)
            cells.append(v4.new_code_cell(solution_cell(functions[name], bodies[name]), metadata={
                "tags": [f"function:{name}"], "nbgrader": nbgrader_metadata(name, test=False)}))
            test = TEST_CELL.format(name=name, points=points[name], notebook=notebook_name, assignment=assignment.name)
            cells.append(v4.new_code_cell(test, metadata={
                "nbgrader": nbgrader_metadata(name, test=True, points=points[name])}))
        elif first.startswith("{source ") and "}" in first and not rest:
            file_name, _, names = first.removeprefix("{source ").partition("}")
            path = assignment.public / file_name.strip()
            if not path.is_file():
                raise NotebookProblem(f"{text_path}: {{source {file_name}}}: no file {path}")
            wanted = tuple(names.split())
            found = top_level_sources(path, wanted)
            constants = "\n".join(found[name] for name in wanted if name.isupper())
            definitions = [found[name] for name in wanted if not name.isupper()]
            cells.append(v4.new_code_cell("\n\n\n".join(([constants] if constants else []) + definitions)))
        else:
            cells.append(v4.new_markdown_cell(block))
    missing = [name for name in assignment.function_names if name not in answered]
    if missing:
        raise NotebookProblem(f"{text_path}: no {{answer}} block for {', '.join(missing)}")
    for position, cell in enumerate(cells):
        cell["id"] = f"cell-{position:02d}"

    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "autograder": {"assignment": assignment.name},
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return notebook


def render(notebook: NotebookNode) -> str:
    """The exact text nbformat.write puts in the file (sorted keys, trailing newline)."""
    buffer = io.StringIO()
    nbformat.write(notebook, buffer)
    return buffer.getvalue()


def write_or_check(assignment: Assignment, *, check: bool = False, target: Path | None = None) -> int:
    """Write the notebook, or with `check` report (exit status 1) when the one on disk differs."""
    target = target or assignment.public / assignment.submission_names[0]
    text = render(build_notebook(assignment))
    if check:
        current = target.read_bytes() if target.exists() else None
        if current != text.encode("utf-8"):
            print(f"{target} is out of date with its stubs, data, notebook.md or reference; run: "
                  f"autograder notebook --assignment {assignment.name}", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {target}")
    return 0
