"""Reading a submission file into cells of plain Python — parsing only, nothing is executed.

`.py` is one cell; `.ipynb` is its code cells in order, with IPython syntax (magics, `x?`, `!cmd`)
turned into plain Python by IPython's own transformer. Anything unreadable becomes a
`SourceProblem` with a message that names the file and the line, for a zero score.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from autograder.trusted.verdict import code as quote

MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Cell:
    label: str  # "code cell 3" for a notebook's cell ("" for a .py file's statement), for messages
    filename: str  # the code object's filename: "<submission cell 3>"
    source: str
    label_ko: str = ""  # the same in Korean, with the cell's first line (Jupyter shows no code-cell numbers)

    @property
    def first_line(self) -> str:
        """The first non-blank line, as the student sees it (capped), to find the cell or statement by."""
        line = next((text.strip() for text in self.source.splitlines() if text.strip()), "")
        return line if len(line) <= 40 else line[:37] + "..."


@dataclass(frozen=True)
class Source:
    kind: str  # "py" | "ipynb"
    cells: tuple[Cell, ...]
    texts: dict[str, str]  # filename -> whole text, so tracebacks can quote the student's line

    @property
    def module_name(self) -> str:
        return "__main__" if self.kind == "ipynb" else "submission"


class SourceProblem(Exception):
    """The file cannot be graded at all; the message is for the student (English, Korean)."""

    def __init__(self, en: str, ko: str) -> None:
        super().__init__(en)
        self.en, self.ko = en, ko


def read(path: Path, expected: tuple[str, str] = ("submission.ipynb", "submission.py")) -> Source:
    """`expected`: the assignment's submission names (notebook, module), for the message."""
    name = path.name
    notebook, module = expected
    if path.suffix not in SUFFIXES:
        raise SourceProblem(f"{name}: not a .py or .ipynb file; submit {module} or {notebook}.",
                            f"{name}: .py 또는 .ipynb 파일이 아닙니다. {module} 또는 {notebook} 파일을 제출하세요.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceProblem(f"{name}: cannot be read ({exc.strerror}).",
                            f"{name}: 파일을 읽을 수 없습니다 ({quote(exc.strerror)}).") from None
    if len(data) > MAX_BYTES:
        raise SourceProblem(f"{name}: {len(data)} bytes is larger than the {MAX_BYTES}-byte limit.",
                            f"{name}: 파일 크기 {len(data)} 바이트가 제한({MAX_BYTES} 바이트)을 넘습니다.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceProblem(f"{name}, line {line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8.",
                            f"{name}, {line}번째 줄: UTF-8 텍스트가 아닙니다 (바이트 {exc.start}). "
                            "UTF-8로 저장하세요.") from None
    if "\x00" in text:
        raise SourceProblem(f"{name}: contains NUL bytes; this is not a Python file.",
                            f"{name}: NUL 바이트가 있습니다. 파이썬 파일이 아닙니다.")
    if path.suffix == ".ipynb":
        cells = _notebook_cells(name, text, notebook, module)  # each cell's syntax checked
        return Source("ipynb", cells, {c.filename: c.source for c in cells})
    whole = Cell("", "<submission>", text)
    _check_syntax(name, whole)
    return Source("py", _statements(whole), {whole.filename: whole.source})


def _statements(module: Cell) -> tuple[Cell, ...]:
    """A .py file, one top-level statement per cell, line numbers kept.

    A stray statement that raises (a test call, `from data import ...` on a machine without the
    file) then costs only itself, not every function defined after it: the same leniency as
    a notebook, where a failing cell does not stop the next one.
    """
    tree = ast.parse(module.source)
    lines = module.source.splitlines(keepends=True)
    future = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    prefix = "".join("".join(lines[n.lineno - 1:n.end_lineno]) for n in future)  # heads every chunk
    cells: list[Cell] = []
    done = max((n.end_lineno or 0 for n in future), default=0)
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if start <= done:  # `a = 1; b = 2`: the line already ran with the statement before
            continue
        done = node.end_lineno or start
        chunk = "".join(lines[start - 1:done])
        padding = "\n" * (start - 1 - prefix.count("\n"))
        cells.append(Cell("", module.filename, prefix + padding + chunk))
    return tuple(cells)


def _notebook_cells(name: str, text: str, notebook_name: str = "submission.ipynb",
                    module_name: str = "submission.py") -> tuple[Cell, ...]:
    instead = (f" Open it in Jupyter, save it, and submit {notebook_name} again (or your completed {module_name}).",
               f" 주피터에서 노트북을 열어 저장한 뒤 {notebook_name} 파일을 다시 제출하거나, "
               f"완성한 {module_name} 파일을 제출하세요.")
    if not text.strip():
        size = len(text.encode())
        raise SourceProblem(f"{name}: the file is empty ({size} bytes), not a notebook." + instead[0],
                            f"{name}: 파일이 비어 있어 ({size} 바이트) 노트북이 아닙니다." + instead[1])
    try:
        json.loads(text)
    except ValueError as exc:
        raise SourceProblem(f"{name}: not a notebook (invalid JSON: {exc})." + instead[0],
                            f"{name}: 노트북 파일이 아닙니다 (JSON 오류 {quote(exc)})." + instead[1]) from None
    try:
        invalid: dict[str, Exception] = {}
        notebook = nbformat.reads(text, as_version=4, capture_validation_error=invalid)  # validated once, there
        if invalid:
            raise invalid["ValidationError"]
    except Exception as exc:  # nbformat raises several validation and reader error types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceProblem(f"{name}: not a valid Jupyter notebook ({first[:200]})." + instead[0],
                            f"{name}: 올바른 Jupyter 노트북이 아닙니다 ({quote(first[:200])})." + instead[1]) from None
    transformer: TransformerManager | None = None
    cells = []
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):  # numbered as the student sees them
        if is_nbgrader_test(cell):
            continue
        source = cell.source
        compiles = _compiles(source)
        if not compiles:  # IPython's own syntax (%magic, !shell, obj?): run as Jupyter would run it
            transformer = transformer or TransformerManager()
            try:
                source = transformer.transform_cell(cell.source)
            except Exception:  # IPython could not transform it; let the syntax check report it
                source = cell.source
        first = Cell("", "", cell.source).first_line
        cells.append(Cell(f"code cell {number}", f"<submission cell {number}>", source,
                          f"{number}번째 코드 셀(첫 줄 {quote(first)})" if first else f"{number}번째 코드 셀"))
        if not compiles:  # what compiled as it is needs no second compile to say so
            _check_syntax(name, cells[-1])
    return tuple(cells)


def _compiles(source: str) -> bool:
    """Plain Python, which IPython's transforms leave as it is (and cost some 0.4 ms a cell to say so)."""
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
        return False
    return True


def is_nbgrader_test(cell: nbformat.NotebookNode) -> bool:
    """An instructor's locked autograder-test cell: not the student's code, never run by us."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _check_syntax(name: str, cell: Cell) -> None:
    try:
        compile(cell.source, cell.filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f"{cell.label}, line {exc.lineno}" if cell.label else f"line {exc.lineno}"
        where_ko = f"{cell.label_ko}, {exc.lineno}번째 줄" if cell.label else f"{exc.lineno}번째 줄"
        code = (exc.text or "").strip()
        raise SourceProblem(f"{name}, {where}: syntax error: {exc.msg}" + (f"\n    {code}" if code else ""),
                            f"{name}, {where_ko}: 문법 오류({quote(exc.msg)})"
                            + (f"\n    {code}" if code else "")) from None
    except (ValueError, OverflowError, RecursionError, MemoryError) as exc:
        raise SourceProblem(f"{name}: cannot be compiled ({type(exc).__name__}: {exc}).",
                            f"{name}: 컴파일할 수 없습니다 ({quote(f'{type(exc).__name__}: {exc}')}).") from None
