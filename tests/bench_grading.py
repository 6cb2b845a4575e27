"""`make bench`: our batch grader against real `nbgrader autograde`, on the same notebooks.

Makes a course (real `autograder release`), N notebook submissions filled from the corpus (correct
ones and typical mistakes, round robin), then times, side by side:
  - `autograder grade --jobs J` (sandboxed) and one cold `autograder grade one.ipynb`;
  - `nbgrader autograde` (checks in the student's kernel, serial);
  - the bare compute: every check of every submission in one plain process, no isolation;
checks that both graders give every submission the same score, and prints ratios and the peak
memory (proportional set size, summed over each run's whole process tree).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
from conftest import fill_answers  # tests/ is on sys.path when this file runs

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "submissions"
SOURCES = [CORPUS / "demo" / "correct.py", *sorted((CORPUS / "correct").glob("*.py")),
           *sorted((CORPUS / "mistakes").glob("*.py")), *sorted((CORPUS / "demo").glob("*.py"))]
COLD = [("a correct one", CORPUS / "demo" / "correct.py"), ("one with mistakes", CORPUS / "demo" / "no_seed.py")]


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MB (10^6 bytes) of the process tree's summed PSS) for one command."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_full_info().pss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
            except psutil.NoSuchProcess:
                return
            peak = max(peak, total / 1e6)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[:4]} failed:\n{err.decode()[-3000:]}")
    return time.monotonic() - started, peak


def bare_compute(notebooks: list[Path]) -> float:
    """Every check on every submission in this one process: no sandbox, no fork, no kernel."""
    code = """
import sys, time, nbformat
from autograder.in_kernel import score
from autograder.trusted.registry import FUNCTIONS
from autograder.trusted.source import read
total = 0.0
for path in sys.argv[1:]:
    started = time.monotonic()
    namespace = {"__name__": "__main__"}
    for cell in read(__import__("pathlib").Path(path)).cells:
        try:
            exec(compile(cell.source, cell.filename, "exec"), namespace)
        except Exception:
            pass
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        for function in FUNCTIONS:
            score(function, namespace)
    total += time.monotonic() - started
print(total)
"""
    done = subprocess.run([sys.executable, "-c", code, *map(str, notebooks)], capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1"})
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of notebook submissions")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for autograder grade")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    course = work / "course"
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    for folder in ("assignments", "solutions"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns("__pycache__"))
    autograder = [sys.executable, "-m", "autograder.cli"]
    run([*autograder, "release", "homework", "--course", str(course)], REPO)
    flat = work / "notebooks"
    flat.mkdir()
    for i in range(args.n):
        release = nbformat.read(course / "release" / "homework" / "homework.ipynb", as_version=4)
        notebook = fill_answers(release, SOURCES[i % len(SOURCES)])
        student = f"s{i:03d}"
        target = course / "submitted" / student / "homework"
        target.mkdir(parents=True)
        nbformat.write(notebook, target / "homework.ipynb")
        nbformat.write(notebook, flat / f"{student}.ipynb")

    ours, ours_peak = run([*autograder, "grade", str(flat), "--out", str(work / "ours"), "--jobs", str(args.jobs)],
                          REPO)
    colds = {}
    for label, source in COLD:  # one notebook, a fresh grader: nothing warm but the disk cache
        index = SOURCES.index(source)
        if index >= args.n:
            continue
        colds[label] = run([*autograder, "grade", str(flat / f"s{index:03d}.ipynb"), "--out", str(work / label)], REPO)
    theirs, theirs_peak = run([sys.executable, "-m", "nbgrader", "autograde", "homework", "--force", "--create"],
                              course)
    bare = bare_compute(sorted(flat.glob("*.ipynb")))

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        nbgrader_scores = {s.student.id: s.score for s in gradebook.assignment_submissions("homework")}
    our_scores = pd.read_csv(work / "ours" / "grades.csv").set_index("submission")["score"].to_dict()
    agree = sum(abs(nbgrader_scores[s] - our_scores[s]) < 1e-9 for s in our_scores)

    n = args.n
    rows = [(f"autograder grade --jobs {args.jobs} (sandboxed)", ours, ours_peak, n),
            ("nbgrader autograde (in-kernel, serial)", theirs, theirs_peak, n),
            *((f"autograder grade one.ipynb, cold ({label})", seconds, peak, 1)
              for label, (seconds, peak) in colds.items())]
    print(f"\n{n} notebook submissions ({len(SOURCES)} distinct answers, round robin), {os.cpu_count()} cores")
    print(f"{'run':46s} {'total s':>9s} {'s/submission':>13s} {'peak MB':>8s}")
    for name, seconds, peak, count in rows:
        print(f"{name:46s} {seconds:9.1f} {seconds / count:13.3f} {peak:8.0f}")
    print(f"{'bare compute of the checks (no isolation)':46s} {bare:9.1f} {bare / n:13.3f}")
    cold = max(seconds for seconds, _ in colds.values())  # s000 (a correct one) always exists
    print("\ngoal                              measured   target")
    for goal, measured, target, met in [
            ("speed-up over nbgrader", f"{theirs / ours:.1f}x", ">= 20x", theirs / ours >= 20),
            ("cold single notebook (slowest)", f"{cold:.2f} s", "<= 2 s", cold <= 2),
            ("total over bare compute", f"{ours / bare:.2f}x", "<= 1.5x", ours / bare <= 1.5),
            ("peak memory of the run", f"{ours_peak:.0f} MB", "<= 1500 MB", ours_peak <= 1500),
            ("scores agree with nbgrader", f"{agree}/{n}", f"{n}/{n}", agree == n)]:
        print(f"{goal:33s} {measured:>9s}   {target:10s} {'met' if met else 'NOT MET'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
