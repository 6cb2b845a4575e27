"""Just enough of IPython for notebook cells to run outside a kernel.

Cells are turned into plain Python by IPython's own transformer on the trusted side, so
`%matplotlib inline` arrives as `get_ipython().run_line_magic('matplotlib', 'inline')`. Here
the timing magics run their code once; everything else (`!cmd`, `torch.nn.Linear?`, `%pip`)
is a quiet no-op: grading never runs shell commands or installs packages.
"""

from __future__ import annotations

from typing import Any


class Shell:
    """Stands in for `get_ipython()` while a submission's notebook cells run."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.user_ns = namespace

    def run_line_magic(self, name: str, line: str, _stack_depth: int = 1) -> Any:
        if name in {"time", "timeit"} and line.strip():
            statement = line.split(None, 1)[-1] if line.lstrip().startswith("-") else line
            exec(compile(statement, "<magic>", "exec"), self.user_ns)
        return None

    def run_cell_magic(self, name: str, line: str, cell: str) -> Any:
        if name in {"time", "timeit", "capture", "prun"}:
            exec(compile(cell, "<cell magic>", "exec"), self.user_ns)
        return None

    def system(self, cmd: str) -> None:
        print(f"[autograder] skipped shell command: !{cmd}")

    getoutput = system

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def display(*objs: Any, **_kwargs: Any) -> None:
    """IPython's `display` without a frontend: print the repr."""
    for obj in objs:
        print(repr(obj))
