"""The student's `autograder check` and the grader's argument handling, through the real CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SUBMISSIONS, run_cli


def test_check_passes_the_reference_with_exit_status_zero(tmp_path: Path) -> None:
    mine = tmp_path / "homework.py"
    shutil.copy(REPO / "solutions" / "homework" / "reference.py", mine)
    done = run_cli("check", str(mine))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failed" not in done.stdout
    assert "public score / 공개 점수" in done.stdout


def test_check_explains_a_mistake_and_exits_one() -> None:
    done = run_cli("check", str(SUBMISSIONS / "demo" / "ones_column_second.py"), "--assignment", "homework")
    assert done.returncode == 1
    assert "build_X" in done.stdout and "failed / 실패" in done.stdout
    compact = re.sub(r"[\s│…]", "", done.stdout)  # the table wraps long lines
    assert "정답" in compact and "1로된열이먼저와야합니다" in compact  # the Korean half of the explanation
    assert "hidden" not in done.stdout.split("public score")[0].lower()  # only public checks are listed


def test_grade_refuses_a_missing_path_without_a_traceback(tmp_path: Path) -> None:
    done = run_cli("grade", str(tmp_path / "nope.py"), "--assignment", "homework", "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "nope.py: no such file or folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_of_a_file_that_is_not_python_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "homework.py"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = run_cli("check", str(bad))
    assert done.returncode == 1
    assert "not UTF-8" in done.stdout or "NUL" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_check_in_korean_shows_student_text_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--lang ko` says everything in Korean; a student's exception message that looks like rich markup
    ("[link]") or HTML is printed as it is, not interpreted."""
    monkeypatch.setenv("COLUMNS", "400")  # one payload per line, unwrapped
    done = run_cli("check", str(SUBMISSIONS / "hostile" / "html_in_messages.py"), "--assignment", "homework",
                   "--lang", "ko")
    assert done.returncode == 1, done.stderr
    assert "실패" in done.stdout and "예외가 발생했습니다" in done.stdout and "공개 점수" in done.stdout
    assert "failed" not in done.stdout and "raised" not in done.stdout
    assert "[link](http://example.com)" in done.stdout and "<script>" in done.stdout
