"""The contract, sentence by sentence: every sentence of every stub docstring (the English ones, hints
aside) is enforced by a check that names it, every check names sentences of its function's docstring,
and docs/contract.md is the table the registry makes now."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

from autograder.trusted.assignment import load, names
from autograder.trusted.contract import sentences, split, uncovered


@pytest.mark.parametrize("name", names())
def test_every_sentence_has_a_check_and_every_check_a_sentence(name: str) -> None:
    assert uncovered(load(name)) == []
    assert all(sentences(load(name)).values())


def test_the_sentences_are_the_english_ones_without_the_hints() -> None:
    docstring = ("한국어 요약.\n\nThe summary. Second sentence.\n\n- x: 모양.\n  x: a shape (n,).\n\n"
                 "힌트: 조심.\nHint: be careful.")
    assert split(docstring) == ["The summary.", "Second sentence.", "x: a shape (n,)."]


def test_a_sentence_without_a_check_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograder.trusted import contract

    homework = load("homework")
    real = contract.sentences(homework)
    monkeypatch.setattr(contract, "sentences", lambda a: {**real, "update": [*real["update"], "Sings a song."]})
    assert uncovered(homework) == ["update: no check enforces 'Sings a song.'"]


def test_the_table_in_the_docs_is_current() -> None:
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "contract", "--check"], capture_output=True,
                          text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr + "\nrun: autograder contract"
