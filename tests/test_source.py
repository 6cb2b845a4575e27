"""Reading submissions: notebooks become cells of plain Python; unreadable files get a message
that names the file and the line — parsing only, nothing is executed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.trusted.source import SourceProblem, read


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, path)
    return path


def test_ipython_syntax_becomes_plain_python(tmp_path: Path) -> None:
    source = read(notebook(tmp_path / "a.ipynb", "%matplotlib inline\nimport torch", "torch.nn.Linear?",
                           "!ls -la", "%%time\nx = 1"))
    assert source.kind == "ipynb" and source.module_name == "__main__"
    joined = "\n".join(c.source for c in source.cells)
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in joined
    assert "get_ipython().system('ls -la')" in joined
    assert "run_cell_magic('time'" in joined
    assert [c.label for c in source.cells] == ["code cell 1", "code cell 2", "code cell 3", "code cell 4"]


def test_markdown_cells_are_skipped(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 과제"), nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert [c.source.strip() for c in read(tmp_path / "b.ipynb").cells] == ["x = 1"]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("hw.py", "def f(:\n    pass\n", "hw.py, line 1: syntax error"),
    ("hw.py", "x = 1\n\ndef g()\n    return 2\n", "hw.py, line 3: syntax error"),
    ("hw.py", "# 주석\nx = 1\n".encode("cp949"), "hw.py, line 1: not UTF-8"),
    ("hw.py", b"x = 1\x00\x00", "contains NUL bytes"),
    ("hw.ipynb", "{not json", "hw.ipynb: not a notebook (invalid JSON"),
    ("hw.ipynb", '{"cells": 3}', "hw.ipynb: not a valid Jupyter notebook"),
    ("hw.txt", "def build_X(x): pass", "hw.txt: not a .py or .ipynb file"),
])
def test_unreadable_files_get_a_clear_message(tmp_path: Path, name: str, content: str | bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SourceProblem) as problem:
        read(path)
    assert says in problem.value.en
    assert problem.value.ko  # the Korean half is there too


def test_a_syntax_error_in_a_notebook_names_the_cell(tmp_path: Path) -> None:
    path = notebook(tmp_path / "c.ipynb", "import torch", "x = (1,\ny = 2 +")
    with pytest.raises(SourceProblem) as problem:
        read(path)
    assert "c.ipynb, code cell 2" in problem.value.en
