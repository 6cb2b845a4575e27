"""A failed check, said the way a TA would say it: in English and Korean, with what was tried.

`kind` is a short machine-readable tag (e.g. "dtype", "shape", "values", "nan", "error",
"timeout") that feedback renderers and reports group by; `detail` holds the numbers. A hint names
the lecture's pitfall the failure matches (`detail["pitfall"]` is its tag, for the class report).
Every text exists in both languages; `lang` ("en", "ko" or "both") picks what is shown.
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

    def pick(self, lang: str) -> str:
        """The sentence in `lang`: "en", "ko", or "both" (English line, then Korean line)."""
        return {"en": self.en, "ko": self.ko}.get(lang) or self.both()

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}


def code(text: object) -> str:
    """Text that is code or Python's own words (an exception message, a student's line), set in
    backticks so a Korean sentence reads it as a quotation: `...` (inner backticks become ')."""
    return "`" + str(text).replace("`", "'").replace("\n", " ") + "`"


LANGUAGES = ("en", "ko", "both")
TRIED = Said("Tried", "입력")
HINT = Said("Hint", "힌트")


def label(said: Said, lang: str) -> str:
    """A short label: "Hint", "힌트" or "Hint / 힌트"."""
    if said.en == said.ko:
        return said.en
    return said.pick(lang) if lang != "both" else f"{said.en} / {said.ko}"


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

    def message(self, lang: str = "both") -> str:
        """What the student reads: the finding, what was tried, any hint."""
        return explain(self.said, self.tried, self.hint, lang)


def explain(said: Said | None, tried: str | None, hint: Said | None, lang: str) -> str:
    text = said.pick(lang) if said else ""
    if tried:
        text += f"\n{label(TRIED, lang)}:\n{tried}"
    if hint:
        text += f"\n{label(HINT, lang)}: {hint.pick(lang)}"
    return text


@dataclass
class Outcome:
    """The verdict of one check on one submission."""

    check_id: str
    passed: bool
    score: float
    kind: str = "passed"
    message: str = ""  # in both languages; `text(lang)` for one
    detail: dict[str, Any] = field(default_factory=dict)
    said: Said | None = None
    tried: str | None = None
    hint: Said | None = None

    @classmethod
    def failed(cls, check_id: str, failure: CheckFailed) -> Outcome:
        return cls(check_id, False, 0.0, failure.kind, failure.message(), failure.detail,
                   failure.said, failure.tried, failure.hint)

    def text(self, lang: str = "both") -> str:
        """The explanation in `lang` (empty for a pass)."""
        if self.said is None:
            return self.message
        return explain(self.said, self.tried, self.hint, lang)
