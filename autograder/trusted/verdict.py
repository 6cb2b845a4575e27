"""A failed check, said the way a TA would say it: in English and Korean, with what was tried.

`kind` is a short machine-readable tag (e.g. "dtype", "shape", "values", "nan", "error",
"timeout") that feedback renderers and reports group by; `detail` holds the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Said:
    """One sentence in both languages of the course."""

    en: str
    ko: str

    def both(self) -> str:
        return f"{self.en}\n{self.ko}"


class CheckFailed(Exception):
    """Raised inside a check: the student's answer is wrong, and why."""

    def __init__(self, kind: str, said: Said, *, detail: dict[str, Any] | None = None,
                 hint: Said | None = None) -> None:
        super().__init__(said.en)
        self.kind = kind
        self.said = said
        self.detail = detail or {}
        self.hint = hint
        self.tried: str | None = None  # filled in by the trial: the input, as much as may be shown

    def message(self) -> str:
        """What the student reads: the finding in both languages, what was tried, any hint."""
        text = self.said.both()
        if self.tried:
            text += f"\nTried / 입력:\n{self.tried}"
        if self.hint:
            text += f"\nHint / 힌트: {self.hint.both()}"
        return text


@dataclass
class Outcome:
    """The verdict of one check on one submission."""

    check_id: str
    passed: bool
    score: float
    kind: str = "passed"
    message: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
