"""A feedback file per submission: self-contained HTML and Markdown, made from its results JSON.

Working from the results JSON (not from a live grading) means resumed batches and Gradescope
results get the same feedback. Everything the student could influence (exception messages,
names, the submission's file name) is data: HTML-escaped in the page, escaped or fenced in the
Markdown; the page has no script, and its only image is an inline PNG.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

from autograder.trusted.verdict import HINT, TRIED, Said, label

WORDS = {
    "title": Said("Feedback", "피드백"),
    "score": Said("Score", "점수"),
    "function": Said("Function", "함수"),
    "check": Said("Check", "검사"),
    "shown": Said("Shown", "공개"),
    "public": Said("public", "공개"),
    "hidden": Said("hidden", "숨김"),
    "points": Said("Points", "점수"),
    "result": Said("Result", "결과"),
    "passed": Said("passed", "통과"),
    "failed": Said("failed", "실패"),
    "failures": Said("What went wrong", "틀린 부분"),
    "notes": Said("While running your code", "코드를 실행하는 중"),
    "plots": Said("Your trained models against the reference", "학습된 모델과 정답 비교"),
    "all_passed": Said("Every check passed.", "모든 검사를 통과했습니다."),
    "hidden_note": Said("Hidden checks show only the shapes and dtypes of what they tried.",
                        "숨겨진 검사는 입력의 모양(shape)과 dtype만 보여 줍니다."),
    "expected": Said("expected", "정답"),
    "got": Said("got", "제출한 값"),
    "shape": Said("shape", "모양"),
    "dtype": Said("dtype", "dtype"),
    "index": Said("first mismatching index", "처음 다른 인덱스"),
    "value": Said("value there", "그 위치의 값"),
    "abs": Said("max abs error", "최대 절대오차"),
    "rel": Said("max rel error", "최대 상대오차"),
    "mismatches": Said("entries off", "다른 원소 수"),
}

STYLE = """
body { font-family: "DejaVu Sans", "NanumGothic", sans-serif; margin: 2em auto; max-width: 60em; color: #1f2328; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr.passed td.result { color: #1a7f37; font-weight: bold; }
tr.failed td.result { color: #d1242f; font-weight: bold; }
section.failure { border-left: 4px solid #d1242f; padding: 0.2em 1em; margin: 1em 0; background: #fff8f8; }
p.hint { border-left: 4px solid #bf8700; background: #fff8c5; padding: 0.5em 1em; }
pre { background: #f6f8fa; padding: 0.6em; white-space: pre-wrap; overflow-wrap: anywhere; }
img { max-width: 100%; }
"""


def tests_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in data.get("tests", []) if isinstance(t, dict)]


def _said(value: Any) -> Said | None:
    if isinstance(value, dict) and isinstance(value.get("en"), str) and isinstance(value.get("ko"), str):
        return Said(value["en"], value["ko"])
    return None


def heading(test: dict[str, Any], lang: str) -> str:
    """The test's name in `lang`: its function and its check's title (results JSON keeps both languages)."""
    title = _said((test.get("extra_data") or {}).get("title"))
    if title is None:
        return str(test.get("name", ""))
    return f"{', '.join(map(str, test.get('tags', [])))}: {label(title, lang)}"


def explanation(test: dict[str, Any]) -> tuple[str, str | None, Said | None, dict[str, Any]]:
    """(finding, tried, hint, detail) of one failed test; the finding in both languages if unsplit."""
    feedback = (test.get("extra_data") or {}).get("feedback") or {}
    said = _said(feedback.get("said"))
    finding = said if said else Said(str(test.get("output", "")), str(test.get("output", "")))
    tried = feedback.get("tried")
    detail = feedback.get("detail") if isinstance(feedback.get("detail"), dict) else {}
    return finding, str(tried) if tried else None, _said(feedback.get("hint")), detail


def comparison_rows(detail: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, expected, got) rows from a comparison's numbers: shapes, dtypes, the first mismatch, errors."""
    rows = []
    if "expected_shape" in detail:
        rows.append(("shape", _shape(detail["expected_shape"]), _shape(detail.get("got_shape"))))
    if "expected_dtype" in detail:
        rows.append(("dtype", str(detail["expected_dtype"]), str(detail.get("got_dtype"))))
    if "index" in detail:
        rows.append(("index", "", str(detail["index"])))
        rows.append(("value", _number(detail.get("expected")), _number(detail.get("got"))))
        rows.append(("abs", "", _number(detail.get("max_abs_error"))))
        rows.append(("rel", "", _number(detail.get("max_rel_error"))))
        rows.append(("mismatches", "", f"{detail.get('mismatches')} / {detail.get('size')}"))
    return rows


def _shape(shape: Any) -> str:
    if not isinstance(shape, list):
        return str(shape)
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _number(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, (int, float)) else str(value)


def render_html(data: dict[str, Any], lang: str, png: bytes | None = None) -> str:
    """One HTML page, no script, no external resource: every student-influenced string escaped."""
    name = html.escape(str((data.get("extra_data") or {}).get("submission", "")))
    title = html.escape(label(WORDS["title"], lang))
    parts = ["<!DOCTYPE html>", '<html lang="' + ("ko" if lang == "ko" else "en") + '">', "<head>",
             '<meta charset="utf-8">', f"<title>{title}: {name}</title>", f"<style>{STYLE}</style>",
             "</head>", "<body>", f"<h1>{title}: {name}</h1>", render_fragment(data, lang, png),
             "</body>", "</html>", ""]
    return "\n".join(parts)


def render_fragment(data: dict[str, Any], lang: str, png: bytes | None = None) -> str:
    """The page's content (score, notes, results table, explanations, plots): also a notebook's inline table."""
    def say(key: str) -> str:
        return html.escape(label(WORDS[key], lang))

    parts = [f'<p class="score">{say("score")}: <b id="score">{_number(data.get("score"))} / '
             f'{_number(data.get("max_score"))}</b></p>']
    notes = [_said(n) for n in (data.get("extra_data") or {}).get("notes", [])]
    if any(notes):
        parts.append(f"<h2>{say('notes')}</h2>")
        parts += [f"<pre>{html.escape(note.pick(lang))}</pre>" for note in notes if note]
    parts.append('<table id="results"><tr>' + "".join(
        f"<th>{say(k)}</th>" for k in ("function", "check", "shown", "points", "result")) + "</tr>")
    for test in tests_of(data):
        status = "passed" if test.get("status") == "passed" else "failed"
        extra = test.get("extra_data") or {}
        parts.append(
            f'<tr class="{status}"><td>{html.escape(", ".join(map(str, test.get("tags", []))))}</td>'
            f'<td>{html.escape(heading(test, lang))}</td>'
            f'<td>{say("public" if extra.get("public") else "hidden")}</td>'
            f'<td>{_number(test.get("score"))} / {_number(test.get("max_score"))}</td>'
            f'<td class="result">{say(status)}</td></tr>')
    parts.append("</table>")
    failed = [t for t in tests_of(data) if t.get("status") != "passed"]
    parts.append(f"<h2>{say('failures')}</h2>")
    if not failed:
        parts.append(f"<p>{say('all_passed')}</p>")
    for test in failed:
        finding, tried, hint, detail = explanation(test)
        parts.append(f'<section class="failure"><h3>{html.escape(heading(test, lang))}</h3>')
        parts.append(f"<p>{html.escape(finding.pick(lang)).replace(chr(10), '<br>')}</p>")
        if tried:
            parts.append(f"<p>{html.escape(label(TRIED, lang))}:</p><pre>{html.escape(tried)}</pre>")
        rows = comparison_rows(detail)
        if rows:
            parts.append(f"<table class=\"compared\"><tr><th></th><th>{say('expected')}</th>"
                         f"<th>{say('got')}</th></tr>")
            parts += [f"<tr><th>{say(k)}</th><td>{html.escape(e)}</td><td>{html.escape(g)}</td></tr>"
                      for k, e, g in rows]
            parts.append("</table>")
        if hint:
            parts.append(f'<p class="hint"><b>{html.escape(label(HINT, lang))}:</b> '
                         f"{html.escape(hint.pick(lang)).replace(chr(10), '<br>')}</p>")
        parts.append("</section>")
    if failed:
        parts.append(f"<p><small>{say('hidden_note')}</small></p>")
    if png:
        parts.append(f"<h2>{say('plots')}</h2>")
        parts.append(f'<img id="plots" alt="{say("plots")}" src="data:image/png;base64,'
                     f'{base64.b64encode(png).decode("ascii")}">')
    return "\n".join(parts)


def _md(text: str) -> str:
    """Markdown-safe inline text: no raw HTML, no table breaks, no emphasis or links from student text."""
    return re.sub(r"([\\`*_\[\]|#<>!])", r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")


def _fenced(text: str) -> str:
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


def render_markdown(data: dict[str, Any], lang: str, png_name: str | None = None) -> str:
    def say(key: str) -> str:
        return label(WORDS[key], lang)

    name = str((data.get("extra_data") or {}).get("submission", ""))
    lines = [f"# {say('title')}: {_md(name)}", "",
             f"**{say('score')}: {_number(data.get('score'))} / {_number(data.get('max_score'))}**", ""]
    notes = [_said(n) for n in (data.get("extra_data") or {}).get("notes", [])]
    if any(notes):
        lines += [f"## {say('notes')}", ""] + [_fenced(n.pick(lang)) + "\n" for n in notes if n]
    lines.append("| " + " | ".join(say(k) for k in ("function", "check", "shown", "points", "result")) + " |")
    lines.append("|---|---|---|---|---|")
    for test in tests_of(data):
        extra = test.get("extra_data") or {}
        status = "passed" if test.get("status") == "passed" else "failed"
        lines.append(f"| {_md(', '.join(map(str, test.get('tags', []))))} | {_md(heading(test, lang))} | "
                     f"{say('public' if extra.get('public') else 'hidden')} | "
                     f"{_number(test.get('score'))} / {_number(test.get('max_score'))} | "
                     f"{'✅' if status == 'passed' else '❌'} {say(status)} |")
    failed = [t for t in tests_of(data) if t.get("status") != "passed"]
    lines += ["", f"## {say('failures')}", ""]
    if not failed:
        lines += [say("all_passed"), ""]
    for test in failed:
        finding, tried, hint, detail = explanation(test)
        lines += [f"### {_md(heading(test, lang))}", "", _md(finding.pick(lang)), ""]
        if tried:
            lines += [f"{label(TRIED, lang)}:", "", _fenced(tried), ""]
        rows = comparison_rows(detail)
        if rows:
            lines += [f"| | {say('expected')} | {say('got')} |", "|---|---|---|"]
            lines += [f"| {say(k)} | {_md(e)} | {_md(g)} |" for k, e, g in rows]
            lines.append("")
        if hint:
            lines += [f"> **{label(HINT, lang)}:** {_md(hint.pick(lang))}", ""]
    if png_name:
        lines += [f"## {say('plots')}", "", f"![{say('plots')}]({png_name})", ""]
    return "\n".join(lines)


def figure_png(data: dict[str, Any], lang: str) -> bytes | None:
    """The assignment's own picture of this result (solutions/<assignment>/plots.py), or None."""
    from autograder.trusted.assignment import AssignmentProblem, load

    try:
        plots = load(str((data.get("extra_data") or {}).get("assignment", ""))).hook("plots")
    except AssignmentProblem:
        return None
    return plots.figure_png(data, lang) if plots is not None else None


def write_feedback(data: dict[str, Any], out_dir: Path, stem: str, lang: str) -> list[Path]:
    """<stem>.html (self-contained), <stem>.md and the <stem>.png it shows (when the assignment draws one)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    png = figure_png(data, lang)
    paths = [out_dir / f"{stem}.html", out_dir / f"{stem}.md"]
    paths[0].write_text(render_html(data, lang, png), encoding="utf-8")
    if png is not None:
        paths.append(out_dir / f"{stem}.png")
        paths[2].write_bytes(png)
    paths[1].write_text(render_markdown(data, lang, paths[2].name if png is not None else None), encoding="utf-8")
    return paths
