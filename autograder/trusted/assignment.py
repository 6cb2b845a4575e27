"""What an assignment is, read from its folders: the engine names none.

An assignment `<name>` is two folders of the course:
- `assignments/<name>/`: what students receive (the stubs `<name>.py`, a data module, the
  generated `<name>.ipynb`) and the notebook's text (`notebook.md`);
- `solutions/<name>/`: the trusted side: `reference.py`, `checks/<function>.py`, an optional
  `plots.py` (feedback pictures) and `audit.py` (audit notes), and `assignment.toml`, the one
  declarative description read here (functions in order with their calls, training helpers,
  language, submission name, support files, the release allow-list).

The course is the folder that holds the importable `solutions` package (or `AUTOGRADER_COURSE`).
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

LANGUAGES = ("en", "ko", "both")


class AssignmentProblem(Exception):
    """No such assignment, an ambiguous choice, or a description that cannot be read: said plainly."""


@dataclass(frozen=True)
class Function:
    """One function students write, and how the checks call it."""

    name: str
    positional: tuple[str, ...]
    keywords: tuple[str, ...]
    helpers: tuple[str, ...] = ()  # reference functions it is graded with (no double penalty)

    @property
    def call(self) -> str:
        return f"{self.name}({', '.join(self.positional + tuple(f'{k}=...' for k in self.keywords))})"


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    language: str
    submission: str  # the stem students submit: <submission>.ipynb or <submission>.py
    support_files: tuple[str, ...]
    release: tuple[str, ...]
    functions: tuple[Function, ...]
    trusted: Path  # solutions/<name>
    public: Path  # assignments/<name>
    reasons: dict[str, str] = field(default_factory=dict)  # pitfall tags of this assignment, for the report

    @property
    def function_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.functions)

    @property
    def submission_names(self) -> tuple[str, str]:
        return f"{self.submission}.ipynb", f"{self.submission}.py"

    def function(self, name: str) -> Function:
        for function in self.functions:
            if function.name == name:
                return function
        raise AssignmentProblem(f"{self.name} has no function {name!r}; its functions are "
                                f"{', '.join(self.function_names)}")

    @property
    def module(self) -> str:
        """The trusted package: solutions.<name>."""
        return f"solutions.{self.name}"

    def reference(self) -> ModuleType:
        return importlib.import_module(f"{self.module}.reference")

    def hook(self, name: str) -> ModuleType | None:
        """An optional module of the trusted folder (plots, audit), or None."""
        if not (self.trusted / f"{name}.py").is_file():
            return None
        return importlib.import_module(f"{self.module}.{name}")

    def support_texts(self) -> dict[str, str]:
        """The public files written beside a submission when it is graded (a student may import them)."""
        return {name: (self.public / name).read_text(encoding="utf-8") for name in self.support_files}

    def files(self) -> list[Path]:
        """Everything that decides this assignment's verdicts: its trusted folder and its public files."""
        trusted = sorted(p for p in self.trusted.rglob("*") if p.suffix in (".py", ".toml") and p.is_file()
                         and "__pycache__" not in p.parts)
        return trusted + [self.public / name for name in self.support_files]


def course_root() -> Path:
    """The course folder: AUTOGRADER_COURSE, or where the importable `solutions` package lives."""
    if os.environ.get("AUTOGRADER_COURSE"):
        return Path(os.environ["AUTOGRADER_COURSE"]).resolve()
    spec = importlib.util.find_spec("solutions")
    if spec is None or not spec.submodule_search_locations:
        raise AssignmentProblem("no `solutions` package found: run the autograder from the course folder")
    return Path(list(spec.submodule_search_locations)[0]).resolve().parent


def names() -> list[str]:
    """Every assignment of the course: each folder of solutions/ with an assignment.toml."""
    solutions = course_root() / "solutions"
    return sorted(p.parent.name for p in solutions.glob("*/assignment.toml"))


def _parse_call(text: str, where: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """"fit(net, inputs, y, *, lr, epochs)" -> ("fit", positional names, keyword-only names)."""
    try:
        head = ast.parse(f"def {text}: pass").body[0]
    except SyntaxError:
        raise AssignmentProblem(f"{where}: call {text!r} is not of the form name(a, b, *, c)") from None
    assert isinstance(head, ast.FunctionDef)
    args = head.args
    return (head.name, tuple(a.arg for a in args.posonlyargs + args.args), tuple(a.arg for a in args.kwonlyargs))


@functools.cache
def load(name: str) -> Assignment:
    """The assignment `name`, read from solutions/<name>/assignment.toml."""
    available = names()
    if name not in available:
        raise AssignmentProblem(f"no assignment {name!r}; the assignments are: {', '.join(available) or 'none'}")
    root = course_root()
    path = root / "solutions" / name / "assignment.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        functions = []
        for entry in data["function"]:
            function, positional, keywords = _parse_call(entry["call"], str(path))
            functions.append(Function(function, positional, keywords, tuple(entry.get("helpers", ()))))
        language = data.get("language", "both")
        if language not in LANGUAGES:
            raise AssignmentProblem(f"{path}: language {language!r} is not one of {', '.join(LANGUAGES)}")
        submission = data.get("submission", name)
        return Assignment(name=name, title=data.get("title", name), language=language, submission=submission,
                          support_files=tuple(data.get("support_files", ())),
                          release=tuple(data.get("release", (f"{submission}.ipynb", f"{submission}.py"))),
                          functions=tuple(functions), trusted=path.parent, public=root / "assignments" / name,
                          reasons=dict(data.get("reasons", {})))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise AssignmentProblem(f"{path}: cannot be read as an assignment description ({type(exc).__name__}: "
                                f"{exc})") from None


def _hint(path: Path, available: list[str]) -> str | None:
    """The assignment a file names: its nbgrader metadata (written at release), or its file name."""
    if path.suffix == ".ipynb" and path.is_file():
        try:
            metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
            named = metadata.get("autograder", {}).get("assignment")
            if named in available:
                return named
        except (OSError, UnicodeDecodeError, ValueError, AttributeError):
            pass
    for name in available:
        if path.name in load(name).submission_names:
            return name
    return None


def choose(explicit: str | None, files: list[Path] = ()) -> Assignment:  # type: ignore[assignment]
    """The assignment to grade: the one named, else the one the files name, else the only one."""
    available = names()
    if explicit:
        return load(explicit)
    if len(available) == 1:
        return load(available[0])
    hinted = {hint for path in files if (hint := _hint(path, available)) is not None}
    if len(hinted) == 1:
        return load(hinted.pop())
    why = (f"the files name several ({', '.join(sorted(hinted))})" if hinted
           else "it cannot be told from the files")
    raise AssignmentProblem(f"which assignment? {why}: add --assignment NAME (one of: {', '.join(available)})")


@functools.cache
def reference_helpers(assignment: str, function: str) -> dict[str, Any] | None:
    """The reference's building blocks `function` is graded with (no double penalty), as the sandbox gets
    them: the source of those functions alone, with the reference module's imports; nothing else of the
    reference. None when its description names no helpers."""
    described = load(assignment)
    helpers = described.function(function).helpers
    if not helpers:
        return None
    module = described.reference()
    text = inspect.getsource(module)
    tree = ast.parse(text)
    imports = [ast.get_source_segment(text, node) or "" for node in tree.body
               if isinstance(node, ast.Import | ast.ImportFrom)]
    body = "\n\n".join(inspect.getsource(getattr(module, name)) for name in helpers)
    return {"source": "\n".join(imports) + "\n\n" + body, "names": list(helpers)}
