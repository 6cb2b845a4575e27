"""Korean a student reads as a TA wrote it: every message template rendered in Korean with
representative values, and every Korean text of every assignment, follow docs/glossary.md.

The rule for a Korean sentence (`problems`): set aside what is code — backticked spans, indented
lines, file names, dotted or underscored names, calls — then no run of two or more English words
is left, every single English word is an identifier of the assignment, a dtype name or one of
the glossary's allowed words, and no raw particle (`이(가)`, `을(를)`, `은(는)`, `와(과)`) follows a
name. Templates are rendered two ways: directly, each message function with representative
values (each function name of each assignment, each kind of returned object, `.py` and `.ipynb`
locations), and through real grading of the assignment's mistakes and broken corpora.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
import torch
from conftest import REPO, Batch, run_cli

from autograder.trusted import assignment as assignments
from autograder.trusted.verdict import CheckFailed, Outcome, Said

GLOSSARY = REPO / "docs" / "glossary.md"
RAW_PARTICLE = re.compile(r"이\(가\)|가\(이\)|을\(를\)|를\(을\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)")
HANGUL = re.compile("[\uac00-\ud7a3]")
DTYPE = re.compile(r"^(?:float|int|uint|bfloat|complex)\d+$|^bool$")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
NUMBER = re.compile(r"(?<![A-Za-z_-])[-+±]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![A-Za-z_])")
CODE_LIKE = re.compile(r"`[^`\n]*`|[\w.-]*\.(?:py|ipynb|txt|json|md|csv)\b|[A-Za-z_][\w]*(?:[._][\w]+)+(?:\(\))?"
                       r"|[A-Za-z_]\w*\([^()\n]*\)")
NAMES = assignments.names()


def glossary() -> tuple[set[str], list[str]]:
    """(English words a Korean sentence may keep, banned Korean variants) from docs/glossary.md."""
    text = GLOSSARY.read_text(encoding="utf-8")
    block = text.split("    allowed:", 1)[1].split("\n\n", 1)[0]
    allowed = set(block.split())
    banned = []
    for row in text.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if row.startswith("|") and len(cells) == 4 and not set(cells[0]) <= set("-") and cells[0] != "Korean term":
            banned += [term.strip() for term in cells[3].split(",") if term.strip()]
    return allowed, banned


def identifiers(name: str) -> set[str]:
    """The words of an assignment's code a Korean sentence may name: functions, arguments, check names."""
    from autograder.trusted.registry import all_checks

    described = assignments.load(name)
    words = set(described.function_names)
    for function in described.functions:
        words |= set(function.positional) | set(function.keywords)
    words |= {c.id.rsplit(".", 1)[1] for c in all_checks(name)}
    return words


def problems(text: str, allowed: set[str], names: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with one Korean text: raw particles, English phrases, unknown English words.

    A phrase is two English words with only spaces between them; one made only of the
    assignment's names and dtype names ("float32 x") reads as code and passes."""
    found = [f"raw particle {m.group()!r}" for m in RAW_PARTICLE.finditer(text)]
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("    "))
    prose = NUMBER.sub(" ", CODE_LIKE.sub(" ", prose))
    words = list(WORD.finditer(prose))

    def name(word: str) -> bool:
        return word in names or bool(DTYPE.match(word))

    for first, second in zip(words, words[1:]):
        if prose[first.end():second.start()].strip(" ") == "" and not (name(first.group()) and name(second.group())):
            found.append(f"English phrase {first.group()} {second.group()!r}")
    found += [f"English word {w.group()!r}" for w in words if w.group() not in allowed and not name(w.group())]
    return found


def assert_korean(texts: dict[str, str], allowed: tuple[set[str], frozenset[str]]) -> None:
    bad = {where: (text, found) for where, text in texts.items() if (found := problems(text, *allowed))}
    assert not bad, "\n\n".join(f"{where}: {found}\n  {text}" for where, (text, found) in bad.items())


@pytest.fixture(scope="module")
def allowed_words() -> dict[str, tuple[set[str], frozenset[str]]]:
    """Per assignment: (the glossary's allowed words, the assignment's names)."""
    words, _ = glossary()
    return {name: (words, frozenset(identifiers(name))) for name in NAMES}


def test_the_rule_catches_what_the_review_found() -> None:
    allowed, _ = glossary()
    assert problems("모양이 float32 x의 float32 x입니다", allowed)
    assert not problems("float32 x", allowed, frozenset("x"))
    assert problems("코드 실행 중 the statement at line 12이(가) 끝나지 않아", allowed)
    assert problems("반환해야 하는데 a tensor을(를) 반환했습니다", allowed)
    assert problems("torch.Tensor여야 하는데 an nn.Linear입니다", allowed)
    assert problems("(찾은 파일: none)", allowed)
    assert not problems("sigmoid의 결과: 인덱스 [2]의 값이 nan입니다. 정답은 1입니다. `exp(u)/(1+exp(u))`", allowed)
    assert not problems("3번째 코드 셀(첫 줄 `def f(x):`), 12번째 줄: float32여야 할 곳이 float64입니다", allowed)


# --- every template, rendered directly ------------------------------------------------------------

def _source(tmp_path: Path, suffix: str, text: str) -> Any:
    from autograder.trusted import source

    path = tmp_path / f"homework{suffix}"
    if suffix == ".ipynb":
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])
        path.write_text(nbformat.writes(nb), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return source.read(path, ("homework.ipynb", "homework.py"))


def grader_templates(name: str, tmp_path: Path) -> list[Said]:
    """Every Said the grader, trial, comparison and source reader build, with representative values."""
    from autograder.in_kernel import _run
    from autograder.trusted import compare, grader, gradescope, source
    from autograder.trusted.registry import all_checks
    from autograder.trusted.sandbox import SandboxFault
    from autograder.trusted.trial import Trial

    described = assignments.load(name)
    said: list[Said] = []

    def failure(call: Any) -> None:
        try:
            call()
        except CheckFailed as failed:
            said.append(failed.said)
            if failed.hint:
                said.append(failed.hint)
        except source.SourceProblem as problem:
            said.append(Said(problem.en, problem.ko))
        else:
            raise AssertionError(f"{call} did not fail")

    checks = all_checks(name)
    said += [c.said_title for c in checks]
    for function in described.functions:
        fn = function.name
        said.append(grader.signature_problem(described, fn, None))
        said.append(grader.signature_problem(described, fn, {"callable": False, "type": "int"}))
        wrong = [{"name": "a", "kind": "POSITIONAL_OR_KEYWORD", "has_default": True, "default": "0.1"}]
        said.append(grader.signature_problem(described, fn, {"callable": True, "parameters": wrong}))
        said += [grader._fault_said(fn, kind, 10.0) for kind in ("timeout", "crash")]
        check = next(c for c in checks if c.function == fn)
        for killed in (None, 0, 1, 2):
            for threads in (1, 2):
                outcome, stop, _ = grader._aftermath(check, Outcome(check.id, True, 1.0),
                                                     SimpleNamespace(threads=threads),  # type: ignore[arg-type]
                                                     SimpleNamespace(sweep=lambda k=killed: k))  # type: ignore[arg-type]
                said += [s for s in (outcome.said, stop) if s]
        said.append(grader._aftermath(check, Outcome(check.id, False, 0.0, "timeout"), None,  # type: ignore[arg-type]
                                      SimpleNamespace(sweep=lambda: 0))[1])  # type: ignore[arg-type]
        said.append(_run(check, {}).said)
        trial = Trial(fn, None, None, public=True, check_id=check.id, assignment=name)  # type: ignore[arg-type]
        where = {"line": 7, "code": "return x.foo()"}
        for kind in ("SystemExit", "NotImplementedError", "ValueError"):
            made = trial.raised({"type": kind, "message": "the message", "where": where})
            said.append(made.said)
        failure(lambda t=trial: t.expect_unchanged({}, {"x": (torch.zeros(2), "arg0_after")}))
        trial.observe = lambda *a, **k: (({"out": {"kind": "tensor"}, "grad_error": "its result does not require grad "
                                           "(the computation left autograd)"}, {"out": torch.ones(2)}),
                                         ({}, {"out": torch.ones(2)}))
        failure(lambda t=trial: t.same_gradient(torch.ones(2)))
        positional = function.positional or ("x",)
        trial.observe = lambda *a, **k: (({"out": {"kind": "tensor"}}, {"out": torch.ones(2), "grad0": torch.ones(2)}),
                                         ({}, {"out": torch.ones(2), "grad0": torch.zeros(2)}))
        failure(lambda t=trial, p=positional: t.same_gradient(*[torch.ones(2)] * len(p)))
        name_said = Said(f"The result of {fn}", f"{fn}의 결과")
        expected = torch.tensor([[0.5], [1.0]])
        for facts, got in [(None, None), ({"kind": "none"}, None), ({"kind": "object", "type": "ndarray"}, None),
                           ({"kind": "linear"}, None), ({"kind": "tensor"}, expected.double()),
                           ({"kind": "tensor"}, expected.reshape(-1)), ({"kind": "tensor"}, expected.reshape(1, 2)),
                           ({"kind": "tensor"}, torch.tensor([[0.5], [float("nan")]])),
                           ({"kind": "tensor"}, torch.tensor([[0.5], [2.0]])),
                           ({"kind": "tensor"}, -expected), ({"kind": "tensor"}, expected.long())]:
            failure(lambda f=facts, g=got, n=name_said, e=expected: compare.expect_tensor(
                n, f, g, e, pitfalls=[compare.Pitfall("sign", compare.SIGN, compare.scaled(-1))]))
        for got, wanted in [(torch.tensor(2.0), torch.tensor(1.0)), (torch.ones(1), torch.tensor(1.0)),
                            (torch.ones(3, 3), torch.ones(3, 1))]:
            failure(lambda n=name_said, g=got, w=wanted: compare.expect_tensor(n, {"kind": "tensor"}, g, w))
    said += [value for value in vars(compare).values() if isinstance(value, Said)]
    # where: a .py statement and a notebook cell; notes of a load
    for suffix in (".py", ".ipynb"):
        src = _source(tmp_path, suffix, "import torch\n\nwhile True:\n    pass\n")
        for hung in (True, False):
            said.append(grader.skipped_note(src.cells[-1], hung=hung))
        for fault in (None, SandboxFault("timeout", "did not finish within 20 s", "20초 안에 끝나지 않음"),
                      SandboxFault("crash", "the process ended while running the code (EOF)")):
            report = SimpleNamespace(errors=[{"cell": len(src.cells) - 1, "type": "RuntimeError", "message": "boom",
                                              "where": {"line": 3}}, {"type": "ImportError", "message": "no module"}],
                                     fault=fault, last_cell=len(src.cells) - 1)
            said += grader._load_notes(src, report)  # type: ignore[arg-type]
    # the source reader's refusals
    for file, data in [("hw.txt", b"x = 1\n"), ("homework.py", "# 주석\n".encode("cp949")),
                       ("homework.py", b"x = 1\x00\n"), ("homework.py", b"def f(:\n    pass\n"),
                       ("homework.ipynb", b"{not json"), ("homework.ipynb", b'{"cells": 1}'),
                       ("homework.ipynb", nbformat.writes(nbformat.v4.new_notebook(
                           cells=[nbformat.v4.new_code_cell("def f(:\n    pass")])).encode())]:
        path = tmp_path / file
        path.write_bytes(data)
        failure(lambda p=path: source.read(p, described.submission_names))
    failure(lambda: source.read(tmp_path / "missing.py", described.submission_names))
    # Gradescope: no file, several files
    for files in ((), ("a.py", "b.ipynb")):
        folder = tmp_path / f"submission{len(files)}"
        folder.mkdir()
        for file in files:
            (folder / file).write_text("x = 1\n")
        _, why = gradescope.find_submission(folder, described.submission_names)
        en, ko = why.split("\n")
        said.append(Said(en, ko))
    return said


def check_module_templates(name: str) -> list[Said]:
    """The checks' fixed texts (module-level Said) and, for each pitfall factory, its texts on
    representative inputs; the rest of what checks say is rendered by grading the corpora."""
    import importlib
    import pkgutil

    package = importlib.import_module(f"{assignments.load(name).module}.checks")
    said: list[Said] = []
    for module in pkgutil.iter_modules(package.__path__):
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")
        said += [value for value in vars(loaded).values() if isinstance(value, Said)]
        factory = getattr(loaded, "pitfalls", None)
        for args in REPRESENTATIVE.get((name, module.name), ()):
            said += [p.hint for p in factory(*args)]
    return said


_x = torch.tensor([[0.0], [1.0], [2.0]])
REPRESENTATIVE: dict[tuple[str, str], list[tuple[Any, ...]]] = {
    ("homework", "build_X"): [(_x,), (_x.reshape(-1),)],
    ("homework", "sigmoid"): [(_x,)],
    ("homework", "bce_loss"): [(torch.tensor([0.2, 0.7]),)],
    ("homework", "update"): [(torch.ones(2), torch.ones(2), 0.1)],
    ("homework", "train_linear"): [(_x, _x), (_x, _x, 0.05, 7)],
    ("homework", "train_logistic"): [(_x, _x, {}, "weight"), (_x, _x, {"lr": 0.5, "epochs": 3, "seed": 7}, "bias")],
}


@pytest.mark.parametrize("name", NAMES)
def test_every_template_renders_plain_korean(name: str, tmp_path: Path,
                                            allowed_words: dict[str, tuple[set[str], frozenset[str]]]) -> None:
    said = grader_templates(name, tmp_path) + check_module_templates(name)
    texts = {f"{i}: {s.en[:60]}": s.ko for i, s in enumerate(said) if s is not None}
    assert len(texts) > 100
    assert_korean(texts, allowed_words[name])


@pytest.mark.parametrize("name", NAMES)
def test_every_check_has_a_korean_title(name: str) -> None:
    from autograder.trusted.registry import all_checks

    for check in all_checks(name):
        assert HANGUL.search(check.title_ko), check.id
        assert check.heading("ko") == check.title_ko and check.heading("en") == check.title


def test_a_check_without_a_korean_title_is_refused() -> None:
    from autograder.trusted.assignment import AssignmentProblem
    from autograder.trusted.registry import check

    def untitled(trial: Any) -> None:
        """An English title only"""

    untitled.__module__ = "solutions.homework.checks.sigmoid"
    with pytest.raises(AssignmentProblem, match="no Korean title"):
        check("sigmoid", spec="s", points=1, public=True)(untitled)


# --- every template, rendered by grading the corpora ----------------------------------------------

CORPUS_FOLDERS = ("mistakes", "broken", "demo")


@pytest.fixture(scope="module")
def korean_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    graded = {}
    for name in NAMES:
        corpus = REPO / "tests" / "submissions" / name
        folders = [corpus / f for f in CORPUS_FOLDERS if (corpus / f).is_dir()]
        if folders:
            out = tmp_path_factory.mktemp(f"korean-{name}")
            Batch(folders, out, assignment=name)
            graded[name] = out
    return graded


def korean_parts(results: Path) -> dict[str, str]:
    """Every Korean text of every results JSON in `results`: notes, titles, findings, hints."""
    texts = {}
    for path in sorted(results.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, note in enumerate(data["extra_data"]["notes"]):
            texts[f"{path.stem} note {i}"] = note["ko"]
        for test in data["tests"]:
            feedback = test["extra_data"]["feedback"]
            where = f"{path.stem} {test['extra_data']['check']}"
            texts[f"{where} title"] = test["extra_data"]["title"]["ko"]
            for part in ("said", "hint"):
                if feedback[part]:
                    texts[f"{where} {part}"] = feedback[part]["ko"]
    return texts


@pytest.mark.parametrize("name", NAMES)
def test_graded_corpus_feedback_is_plain_korean(name: str, korean_results: dict[str, Path],
                                                 allowed_words: dict[str, tuple[set[str], frozenset[str]]]) -> None:
    if name not in korean_results:
        pytest.skip(f"{name} has no corpus of mistakes")
    texts = korean_parts(korean_results[name])
    assert len(texts) > 100
    assert_korean(texts, allowed_words[name])


# --- one name per concept -------------------------------------------------------------------------

def korean_texts(name: str) -> dict[str, str]:
    """Every Korean text of an assignment and of the engine: notebook text, stub docstrings, string
    constants (and f-string pieces) of its checks, reference and hooks, and of autograder/."""
    described = assignments.load(name)
    texts: dict[str, str] = {}
    notebook = described.public / "notebook.md"
    if notebook.is_file():
        for number, line in enumerate(notebook.read_text(encoding="utf-8").splitlines(), 1):
            if HANGUL.search(line):
                texts[f"{notebook.relative_to(REPO)}:{number}"] = line
    sources = [*described.public.glob("*.py"), *described.trusted.rglob("*.py"), *(REPO / "autograder").rglob("*.py")]
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HANGUL.search(node.value):
                texts[f"{path.relative_to(REPO)}:{node.lineno}"] = node.value
    return texts


@pytest.mark.parametrize("name", NAMES)
def test_one_name_per_concept(name: str) -> None:
    _, banned = glossary()
    assert "갱신" in banned and "기대값" in banned and "참값" in banned
    found = []
    for where, text in korean_texts(name).items():
        for term in banned:
            if re.search(rf"(?<![\uac00-\ud7a3]){re.escape(term)}", text):
                found.append(f"{where}: {term!r} in {text.strip()[:120]!r}")
    assert not found, "banned variants (docs/glossary.md):\n" + "\n".join(found)


@pytest.mark.parametrize("name", NAMES)
def test_korean_texts_have_no_raw_particles(name: str) -> None:
    found = [f"{where}: {text.strip()[:120]!r}" for where, text in korean_texts(name).items()
             if RAW_PARTICLE.search(text)]
    assert not found, "\n".join(found)


def test_check_in_korean_shows_korean_titles(tmp_path: Path) -> None:
    done = run_cli("check", str(REPO / "tests" / "submissions" / "homework" / "demo" / "ones_column_second.py"),
                   "--assignment", "homework", "--lang", "ko")
    assert done.returncode == 1
    compact = re.sub(r"[\s│…]", "", done.stdout)  # the table wraps long lines
    assert "강의의x열벡터로" in compact and "만드는지" in compact and "검사" in compact and "점수" in compact
    assert "The lecture's column" not in done.stdout
