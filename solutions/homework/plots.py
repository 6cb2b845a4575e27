"""The homework's feedback pictures: the student's fitted line and sigmoid curve against the
reference's, on the homework's own data (the lecture-style data of `assignments/homework/data.py`).

The engine calls `figure_png(data, lang)` with a submission's results JSON (see
autograder.trusted.plots for the shared rendering rules: Agg, Korean font, deterministic PNG).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch

from assignments.homework.data import classification_data, regression_data
from autograder.trusted.plots import KOREAN_FONT, has_korean_font, plt, png_bytes
from autograder.trusted.verdict import Said, label
from solutions.homework import reference

LINEAR_CHECK = "homework/train_linear.defaults"
LOGISTIC_CHECK = "homework/train_logistic.defaults"
TEXT = {
    "linear": Said("train_linear: the fitted line", "train_linear: 학습된 직선"),
    "logistic": Said("train_logistic: the fitted sigmoid", "train_logistic: 학습된 시그모이드"),
    "data": Said("data", "데이터"),
    "reference": Said("reference", "정답"),
    "yours": Said("yours", "제출"),
    "missing": Said("yours: no answer", "제출: 결과 없음"),
    "not_finite": Said("yours: not finite (NaN/inf)", "제출: 유한하지 않음 (NaN/inf)"),
}


@functools.cache
def _references() -> tuple[list[float], tuple[float, float]]:
    """The reference's What and (weight, bias) on the homework's data, computed once per process."""
    what = reference.train_linear(*regression_data()).detach().reshape(-1).tolist()
    net = reference.train_logistic(*classification_data())
    return what, (float(net.weight.detach()), float(net.bias.detach()))


def student_fits(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the public training checks kept of the answer (nothing when it did not return one)."""
    fits = {}
    for test in data.get("tests", []):
        extra = test.get("extra_data") or {}
        fit = ((extra.get("feedback") or {}).get("detail") or {}).get("fit")
        if extra.get("check") in (LINEAR_CHECK, LOGISTIC_CHECK) and isinstance(fit, dict):
            fits[extra["check"]] = fit
    return fits


def _numbers(values: Any) -> list[float] | None:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        return None


def figure_png(data: dict[str, Any], lang: str) -> bytes:
    """Two panels: the regression line and the logistic curve, the student's over the reference's."""
    lang = lang if has_korean_font() else "en"
    say = {key: label(said, lang) for key, said in TEXT.items()}
    say["linear"], say["logistic"] = TEXT["linear"].pick(lang), TEXT["logistic"].pick(lang)  # "both": two lines
    fits = student_fits(data)
    what, (weight, bias) = _references()
    with plt.rc_context({"font.family": ["DejaVu Sans", KOREAN_FONT] if lang != "en" else ["DejaVu Sans"],
                         "svg.hashsalt": "autograder", "axes.unicode_minus": False}):
        figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
        x, y = regression_data()
        grid = torch.linspace(float(x.min()), float(x.max()), 50)
        left.scatter(x.reshape(-1), y.reshape(-1), s=10, color="#9aa5b1", label=say["data"])
        left.plot(grid, what[0] + what[1] * grid, color="#1f6feb", linewidth=2, label=say["reference"])
        _student(left, grid, _numbers((fits.get(LINEAR_CHECK) or {}).get("What", [])) or None,
                 lambda p: p[0] + p[1] * grid, say, size=2)
        left.set_ylim(float(y.min()) - 2, float(y.max()) + 2)  # a wild answer must not hide the data
        left.set_title(say["linear"])
        x, y = classification_data()
        grid = torch.linspace(-1, 1, 100)
        right.scatter(x.reshape(-1), y.reshape(-1), s=10, color="#9aa5b1", label=say["data"])
        right.plot(grid, torch.sigmoid(weight * grid + bias), color="#1f6feb", linewidth=2, label=say["reference"])
        logistic = fits.get(LOGISTIC_CHECK) or {}
        _student(right, grid, _numbers([logistic["weight"], logistic["bias"]]) if logistic else None,
                 lambda p: torch.sigmoid(p[0] * grid + p[1]), say, size=2)
        right.set_ylim(-0.1, 1.1)
        right.set_title(say["logistic"])
        for axes in (left, right):
            axes.set_xlabel("x")
            axes.set_ylabel("y")
            axes.legend(loc="upper left", fontsize=9)
        return png_bytes(figure)


def _student(axes: Any, grid: torch.Tensor, params: list[float] | None, curve: Any, say: dict[str, str],
             size: int) -> None:
    if params is None or len(params) != size:
        axes.plot([], [], color="#d1242f", linestyle="--", label=say["missing"])
    elif not all(math.isfinite(p) for p in params):
        axes.plot([], [], color="#d1242f", linestyle="--", label=say["not_finite"])
    else:
        axes.plot(grid, curve(params), color="#d1242f", linestyle="--", linewidth=2, label=say["yours"])
