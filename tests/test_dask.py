"""`autograder grade --cluster`: a real Dask LocalCluster of 2 worker processes grades a batch while one worker
is killed; every submission is graded once, and the results are byte-identical to a local run apart from
`execution_time`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SUBMISSIONS, Batch, start_cli

NAMES = ["demo/correct.py", "demo/no_seed.py", "demo/ones_column_second.py", "demo/overflowing_sigmoid.py",
         "demo/rebinding_update.py", "demo/sum_instead_of_mean.py", "demo/correct_notebook.ipynb",
         "correct/nn_modules.py"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Any, Any]]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as local, \
            Client(local) as client:
        yield local, client


def _rows(out: Path) -> int:
    try:
        with sqlite3.connect(out / "gradebook.sqlite") as db:
            return int(db.execute("SELECT count(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def _without_timing(path: Path) -> bytes:
    return re.sub(rb'\n  "execution_time": [0-9.e+-]+,', b"", path.read_bytes())


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path: Path, cluster: tuple[Any, Any]) -> None:
    local_cluster, client = cluster
    folder = tmp_path / "in"
    folder.mkdir()
    files = []
    for name in NAMES:
        files.append(folder / f"{Path(name).parent.name}_{Path(name).name}")
        shutil.copy(SUBMISSIONS / name, files[-1])
    local = Batch(files, tmp_path / "local")

    out = tmp_path / "cluster"
    running = start_cli("grade", *map(str, files), "--assignment", "homework", "--out", str(out),
                        "--cluster", local_cluster.scheduler_address)
    deadline = time.monotonic() + 120
    busy: list[str] = []
    while time.monotonic() < deadline and running.poll() is None:
        busy = [worker for worker, keys in client.processing().items() if any("grade-" in str(k) for k in keys)]
        if busy and _rows(out) >= 1:
            break
        time.sleep(0.05)
    assert busy and running.poll() is None, "the batch should have been running on a busy worker"
    lost = client.processing()[busy[0]]
    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
    os.kill(pid, signal.SIGKILL)  # mid-task: its submission must be graded by another worker
    try:
        done = running.wait_done(300)
    except subprocess.TimeoutExpired:
        pytest.fail(_stuck(client, running))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"wrote {len(files)} results" in done.stderr
    assert lost, "the killed worker held a task"

    assert _rows(out) == len(files)  # every submission once
    for path in files:
        ours, theirs = out / f"{path.stem}.json", local.out / f"{path.stem}.json"
        assert _without_timing(ours) == _without_timing(theirs), path.name
    assert (out / "grades.csv").read_bytes() == (local.out / "grades.csv").read_bytes()

    time.sleep(1)
    leftovers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"--for-grader-{pid}" not in leftovers  # the killed worker's sandbox died with it


def _stacks() -> str:
    """On a worker: where each of its threads is (for a batch that does not finish)."""
    import sys
    import traceback

    return "\n".join(f"thread {ident}:\n{''.join(traceback.format_stack(frame)[-6:])}"
                     for ident, frame in sys._current_frames().items())


def _stuck(client: Any, running: Any) -> str:
    """What a batch that did not finish was waiting for: the scheduler's tasks, the workers' threads, its stderr."""
    processing = client.processing()
    try:
        stacks = client.run(_stacks, wait=True)
    except Exception as exc:  # noqa: BLE001 - a diagnosis, best effort
        stacks = {"run": repr(exc)}
    running.kill()
    _, err = running.communicate()
    return (f"the batch did not finish in 300 s; processing: {processing}\n"
            + "\n".join(f"--- {worker}\n{text[-4000:]}" for worker, text in stacks.items())
            + f"\n--- grade's stderr\n{err[-3000:]}")


def test_resume_on_the_cluster_regrades_nothing(tmp_path: Path, cluster: tuple[Any, Any]) -> None:
    local_cluster, _ = cluster
    files = []
    for name in NAMES[:1]:
        files.append(tmp_path / Path(name).name)
        shutil.copy(SUBMISSIONS / name, files[-1])
    args = ("grade", *map(str, files), "--assignment", "homework", "--out", str(tmp_path / "out"),
            "--cluster", local_cluster.scheduler_address)
    first = start_cli(*args).wait_done(300)
    assert first.returncode == 0, first.stderr[-3000:]
    second = start_cli(*args).wait_done(300)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "(1 already graded from the same files, not regraded)" in second.stderr


def test_an_unreachable_scheduler_is_said_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    done = start_cli("grade", str(SUBMISSIONS / "demo" / "correct.py"), "--assignment", "homework",
                     "--out", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:9").wait_done(120)
    assert done.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_nbgrader_course_flow_on_the_cluster(tmp_path: Path, cluster: tuple[Any, Any]) -> None:
    from test_nbgrader import scores
    from test_nbgrader_jobs import CHEAT, STUDENTS, assert_expected, course_with_students, rows

    local_cluster, _ = cluster
    course = course_with_students(tmp_path)
    done = start_cli("nbgrader", "autograde", "homework", "--course", str(course),
                     "--cluster", local_cluster.scheduler_address).wait_done(600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(rows(course)) == sorted([*STUDENTS, CHEAT])  # the verdicts, one row per student
    assert_expected(scores(course))  # nbgrader wrote them into gradebook.db; the cheat still loses


def test_the_course_flow_says_an_unreachable_scheduler_plainly(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    course = tmp_path / "course"
    (course / "submitted" / "someone" / "homework").mkdir(parents=True)
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", course / "submitted" / "someone" / "homework" / "homework.py")
    shutil.copy(Path(__file__).resolve().parent.parent / "nbgrader_config.py", course)
    done = start_cli("nbgrader", "autograde", "homework", "--course", str(course),
                     "--cluster", "tcp://127.0.0.1:9").wait_done(120)
    assert done.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
