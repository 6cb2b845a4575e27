"""A batch killed with SIGKILL and started again loses nothing, duplicates nothing and regrades
nothing it had finished; a changed file is regraded; results match an uninterrupted run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import SUBMISSIONS, Batch, start_cli

NAMES = ["correct.py", "no_seed.py", "ones_column_second.py", "overflowing_sigmoid.py", "rebinding_update.py",
         "sum_instead_of_mean.py"]


def rows(out: Path) -> dict[str, str]:
    if not (out / "gradebook.sqlite").exists():
        return {}
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        try:
            return dict(db.execute("SELECT stem, result FROM results").fetchall())
        except sqlite3.OperationalError:  # the table is being created
            return {}


def without_timing(result: str) -> dict:
    data = json.loads(result)
    data.pop("execution_time")
    return data


def test_kill_and_resume(tmp_path: Path) -> None:
    files = []
    for name in NAMES:
        shutil.copy(SUBMISSIONS / "demo" / name, tmp_path / name)
        files.append(tmp_path / name)
    out = tmp_path / "out"
    args = ("grade", *map(str, files), "--assignment", "homework", "--out", str(out))

    first = start_cli(*args)
    deadline = time.monotonic() + 300
    while len(rows(out)) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    before = rows(out)
    assert 2 <= len(before) < len(NAMES), "the batch should have been killed midway"
    time.sleep(1)
    leftovers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"--for-grader-{first.pid}" not in leftovers  # its sandbox died with it

    second = start_cli(*args).wait_done(600)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"({len(before)} already graded from the same files, not regraded)" in second.stderr
    after = rows(out)
    assert sorted(after) == sorted(Path(n).stem for n in NAMES)  # every submission once
    for stem, result in before.items():
        assert after[stem] == result  # byte for byte, timing included: not regraded
    for stem, result in after.items():
        assert json.loads((out / f"{stem}.json").read_text(encoding="utf-8")) == json.loads(result)

    clean = Batch(files, tmp_path / "clean")
    for stem, result in after.items():
        assert without_timing(result) == without_timing(json.dumps(clean.result(stem)))

    with open(files[1], "a", encoding="utf-8") as f:
        f.write("\n# 다시 제출 / resubmitted\n")
    third = start_cli(*args).wait_done(600)
    assert f"({len(NAMES) - 1} already graded" in third.stderr
    assert rows(out)[files[1].stem] != after[files[1].stem]  # the changed file was graded again
    assert os.path.exists(out / "grades.csv")
