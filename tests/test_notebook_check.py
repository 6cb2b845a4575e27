"""`from autograder import check; check("sigmoid")` in a real Jupyter kernel shows the public checks
as an inline HTML table, with the same explanation and hint as the feedback page."""

from __future__ import annotations

import nbclient
import nbformat
from conftest import REPO, SUBMISSIONS


def run_notebook(*cells: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO)}}).execute()
    return notebook


def test_check_shows_an_inline_table_with_hints() -> None:
    code = (SUBMISSIONS / "mistakes" / "sigmoid_sign_flip.py").read_text(encoding="utf-8")
    notebook = run_notebook(code, "from autograder import check\ncheck('sigmoid')",
                            "report = check('build_X', lang='en')\nprint(report.passed, report.data['score'])")
    (shown,) = notebook.cells[1].outputs
    page = shown["data"]["text/html"]
    assert page.count('<tr class="failed">') == 2 and "sigmoid(-u)" in page and "힌트" in page
    assert "hidden" not in page.split("<h2>")[0].replace("Shown", "")  # public checks only
    printed = notebook.cells[2].outputs[0]["text"].split()
    assert printed == ["True", "5"]  # build_X's public checks pass
