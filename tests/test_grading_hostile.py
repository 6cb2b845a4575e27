"""Hostile and broken submissions: the attacked function scores zero, the other functions and a
correct submission graded in the same batch are unaffected, nothing of the sandbox outlives the
batch, and unreadable files get a clear message instead of a traceback. Also: no process a function
starts outlives its check, the grader's files, environment and course stay out of reach, files
shipped beside the homework are never imported, and the batch ends in time bounded by the timeouts."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from conftest import REPO, SUBMISSIONS, Batch, Dom, assert_graded_as_expected, chromium, entries, feedback_pages

from autograder.trusted.grader import LOAD_TIMEOUT, MAX_SKIPPED_CELLS
from autograder.trusted.launch import SANDBOX_UID_BASE
from autograder.trusted.registry import Check

# An unbounded fork bomb is safe only where the sandbox can cap processes: a grader running as root.
CASES = [case for case in entries("hostile", "broken") if os.geteuid() == 0 or case[0] != "hostile/fork_bomb.py"]
SECRET_NAME = "AUTOGRADER_TEST_SECRET"  # read_secrets.py looks for it everywhere it can read
# Left behind by outlive_processes.py: in a process's command line or environment.
OUTLIVE_TOKENS = ("sleep 31337", "OUTLIVE_MARKER=202399027")
WRITE_MARK = "hostile-was-here-202399035"  # in the name of every file write_everywhere.py creates
PLANTED = ("results.json", "result.json", "grades.csv", "gradebook.sqlite", f"{WRITE_MARK}.txt")
# Grader-side folders a submission must not change (write_everywhere.py tries all of them).
PROTECTED = ("solutions", "assignments", "autograder", "tests/submissions", "nbgrader_config.py")
# Where the batch spends its time: functions stopped only by their check's timeout, and files whose
# top-level code hangs or kills the process (the load is retried without that statement).
TIMES_OUT = {"hostile/hang.py": ("sigmoid",), "hostile/ignore_signals.py": ("sigmoid",),
             "hostile/fork_bomb.py": ("sigmoid",), "hostile/sleep_forever.py": ("update",),
             "hostile/memory_bomb.py": ("train_logistic",)}
FAILS_AT_LOAD = ("hostile/hang_at_import.py", "hostile/kill_at_import.py")
HONEST_WORK = 10.0  # seconds per file for everything else, on a busy 2-core machine (about 5 s measured)


def _tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under root (or of root itself), by path relative to the repository."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(REPO)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
            if "__pycache__" not in p.parts}


def _repository_state() -> dict[str, str]:
    state: dict[str, str] = {}
    for name in PROTECTED:
        state.update(_tree_digest(REPO / name))
    return state


def _marked_files() -> set[str]:
    """Files write_everywhere.py would have created where this machine's grader can see them."""
    found = set()
    for folder in (Path("/tmp"), REPO, REPO.parent, *(REPO / name for name in PROTECTED)):
        if folder.is_dir():
            found |= {str(p) for p in folder.iterdir() if WRITE_MARK in p.name}
    return found


def _planted_in(folder: Path) -> list[str]:
    """The names fake_results.py and write_everywhere.py plant, where present: the folder is shared
    (other checkouts beside this one may change while the batch runs)."""
    return sorted(name for name in PLANTED if (folder / name).exists())


def _submission_processes(label: str) -> list[str]:
    """Living processes of this batch's sandbox: the label in their command line, or a token that
    outlive_processes.py put in the command line or environment of what it started."""
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "environ", "status"]):
        info = process.info
        if info["status"] == psutil.STATUS_ZOMBIE:
            continue
        text = " ".join(info["cmdline"] or []) + " " + " ".join(f"{k}={v}" for k, v in (info["environ"] or {}).items())
        if label in text or any(token in text for token in OUTLIVE_TOKENS):
            found.append(f"{info['pid']}: {' '.join(info['cmdline'] or [])[:200]}")
    return found


class HostileBatch(Batch):
    """The batch, with the grader's environment holding a secret, and what it left behind."""

    def __init__(self, files: list[Path], out: Path) -> None:
        self.secret = f"secret-{secrets.token_hex(16)}"
        self.repository_before = _repository_state()
        self.marked_before = _marked_files()
        self.parent_files_before = _planted_in(REPO.parent)
        self.repository_listing_before = sorted(os.listdir(REPO))  # the grader's cwd
        started = time.monotonic()
        with pytest.MonkeyPatch.context() as env:
            env.setenv(SECRET_NAME, self.secret)  # start_cli passes os.environ to the grader
            super().__init__(files, out)
        self.seconds = time.monotonic() - started
        label = f"--for-grader-{self.process_pid}"
        for _ in range(20):  # SIGKILLed processes may take a moment to be gone
            self.survivors = _submission_processes(label)
            if not self.survivors:
                break
            time.sleep(0.1)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> HostileBatch:
    here = tmp_path_factory.mktemp("inputs")
    first, last = here / "correct_first.py", here / "correct_last.py"
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", first)
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", last)
    files = [first, *(SUBMISSIONS / path for path, _ in CASES), last]
    return HostileBatch(files, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(("path", "spec"), CASES, ids=[p for p, _ in CASES])
def test_only_the_attacked_function_loses(batch: HostileBatch, path: str, spec: dict) -> None:
    assert_graded_as_expected(batch, Path(path).stem, spec["wrong"])


@pytest.mark.parametrize("stem", ["correct_first", "correct_last"])
def test_a_correct_submission_in_the_same_batch_keeps_full_marks(batch: HostileBatch, stem: str) -> None:
    result = batch.result(stem)
    assert result["score"] == result["max_score"]


def test_unreadable_files_say_why_without_a_traceback(batch: HostileBatch) -> None:
    for path, spec in CASES:
        if not spec.get("load_error"):
            continue
        result = batch.result(Path(path).stem)
        assert result["score"] == 0
        assert Path(path).name in result["output"] or "syntax" in result["output"].lower(), result["output"]
        assert "Traceback" not in result["output"]
    assert "Traceback" not in batch.process.stderr


def test_no_sandbox_process_outlives_the_batch(batch: HostileBatch) -> None:
    label = f"--for-grader-{batch.process_pid}"
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    assert label not in listing, listing
    assert not [line for line in listing.splitlines() if "sleep 31337" in line], listing


@pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox drops to its own uid only when the grader is root")
def test_no_process_of_the_sandbox_uid_is_left(batch: HostileBatch) -> None:
    """Whatever student code started, even an exec'd program that no longer carries our label."""
    uid = SANDBOX_UID_BASE + batch.process_pid
    listing = subprocess.run(["ps", "-eo", "uid,pid,args"], capture_output=True, text=True).stdout
    assert not [line for line in listing.splitlines()[1:] if int(line.split()[0]) == uid], listing


def test_no_process_started_by_a_submission_is_left_when_the_batch_ends(batch: HostileBatch) -> None:
    """Checked right after the grader exited: fork-bomb children, `sleep 31337` in its own session,
    multiprocessing children and double-forked daemons included (by label, command line or environment)."""
    assert batch.survivors == []


def test_a_daemon_heartbeat_file_stops_changing_after_the_batch(batch: HostileBatch) -> None:
    """outlive_processes.py's daemon rewrites /tmp/outlive-heartbeat every 0.1 s. Inside the sandbox
    that /tmp is private and vanishes; if it is the machine's /tmp, it must at least stand still."""
    heartbeat = Path("/tmp/outlive-heartbeat")
    if not heartbeat.exists():
        return
    before = heartbeat.read_bytes()
    time.sleep(1.0)
    assert heartbeat.read_bytes() == before


def test_processes_left_by_a_function_do_not_outlive_its_check(batch: HostileBatch) -> None:
    """update's daemons print OUTLIVE-HEARTBEAT; train_linear, graded after update's checks are over,
    prints OUTLIVE-LAST-FUNCTION-CALLED. A heartbeat after that line is a daemon that outlived its check."""
    log = (batch.out / "outlive_processes.log").read_text(encoding="utf-8", errors="replace").splitlines()
    marker = "OUTLIVE-LAST-FUNCTION-CALLED"
    assert marker in log, "train_linear of outlive_processes.py never ran: the log cannot tell"
    after = log[log.index(marker):]
    assert not [line for line in after if line.startswith("OUTLIVE-HEARTBEAT")], after[:20]


def test_fake_results_written_by_student_code_do_not_reach_the_results(batch: HostileBatch) -> None:
    result = batch.result("fake_results")
    assert result["score"] < result["max_score"]
    assert sorted(p.name for p in batch.out.iterdir()) == sorted(
        [f"{s}.json" for s in _stems(batch)] + [f"{s}.log" for s in _stems(batch)] + ["grades.csv", "gradebook.sqlite"])


def test_submissions_change_nothing_of_the_grader_or_the_course(batch: HostileBatch) -> None:
    """write_everywhere.py creates files next to anything that looks like the grader's, and fake_results.py
    writes results into its cwd and its parent: the reference, the checks, the course and the corpus
    stay byte-identical and no stray file appears beside them."""
    assert _repository_state() == batch.repository_before
    assert _marked_files() == batch.marked_before
    assert _planted_in(REPO.parent) == batch.parent_files_before
    assert sorted(os.listdir(REPO)) == batch.repository_listing_before


def test_the_graders_environment_is_not_readable(batch: HostileBatch) -> None:
    """read_secrets.py prints every AUTOGRADER_TEST_SECRET it finds; the value must be in no output."""
    assert "read_secrets found:" in (batch.out / "read_secrets.log").read_text(encoding="utf-8")
    for path in batch.out.iterdir():
        if path.suffix in {".json", ".log", ".csv"}:
            assert batch.secret not in path.read_text(encoding="utf-8", errors="replace"), path.name


def test_the_batch_ends_in_time_bounded_by_the_check_timeouts(batch: HostileBatch,
                                                              registry_checks: list[Check]) -> None:
    """Not a speed test: a generous bound from the declared timeouts. A function that never returns
    costs its longest check's timeout and a fresh load; a file whose top level hangs or kills its
    process costs every allowed load attempt; every file gets HONEST_WORK for the rest."""
    longest = {check.function: 0.0 for check in registry_checks}
    for check in registry_checks:
        longest[check.function] = max(longest[check.function], check.timeout)
    bound = 2 * HONEST_WORK  # the two correct submissions
    for path, _ in CASES:
        bound += HONEST_WORK + sum(longest[function] + LOAD_TIMEOUT for function in TIMES_OUT.get(path, ()))
        if path in FAILS_AT_LOAD:
            bound += LOAD_TIMEOUT * (1 + MAX_SKIPPED_CELLS)
    assert batch.seconds < bound, f"{batch.seconds:.0f} s for the batch, bound {bound:.0f} s"


def _stems(batch: Batch) -> list[str]:
    return [p.stem for p in batch.out.glob("*.json")]


BESIDE = SUBMISSIONS / "beside"
BESIDE_MARKERS = {"torch": "BESIDE-TORCH-PY-WAS-RUN", "sitecustomize": "BESIDE-SITECUSTOMIZE-WAS-RUN"}


@pytest.fixture(scope="module")
def beside(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """One input folder as a student might hand it in: the homework plus a torch.py and a sitecustomize.py."""
    folder = tmp_path_factory.mktemp("beside")
    shutil.copy(SUBMISSIONS / "demo" / "correct.py", folder / "correct.py")
    for name in BESIDE_MARKERS:
        shutil.copy(BESIDE / f"{name}.py", folder / f"{name}.py")
    return Batch([folder], tmp_path_factory.mktemp("beside-results"))


def test_a_torch_py_and_sitecustomize_py_beside_the_homework_are_never_imported(beside: Batch) -> None:
    correct = beside.result("correct")
    assert correct["score"] == correct["max_score"]
    correct_log = (beside.out / "correct.log").read_text(encoding="utf-8", errors="replace")
    for stem, marker in BESIDE_MARKERS.items():
        assert beside.result(stem)["score"] == 0
        own_log = (beside.out / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
        assert marker in own_log, f"{stem}.py was graded without running: the marker test cannot tell"
        assert marker not in correct_log


def test_a_module_planted_by_one_submission_does_not_reach_the_next(tmp_path: Path) -> None:
    """a_plants_modules.py writes pandas.py into /tmp, its folder and every sys.path entry it can;
    b_imports_pandas.py, graded next in the same sandbox, imports pandas: it gets the real one."""
    planted = Batch([SUBMISSIONS / "planted"], tmp_path / "results")
    victim = planted.result("b_imports_pandas")
    assert victim["score"] == victim["max_score"]
    assert "PLANTED-PANDAS-WAS-IMPORTED" not in (planted.out / "b_imports_pandas.log").read_text(encoding="utf-8")


def test_student_html_in_messages_stays_text_in_the_feedback(batch: Batch, tmp_path: Path) -> None:
    """The page and the Markdown show the student's <script>, <img onerror> and [link] as text; in
    headless Chromium no script element exists, the title is ours, the only image is our plot."""
    pages = feedback_pages(batch, ["html_in_messages"], tmp_path)
    page = (pages / "html_in_messages.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    markdown = (pages / "html_in_messages.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown and "\\[link\\]" in markdown
    dom = Dom(chromium("--dump-dom", (pages / "html_in_messages.html").as_uri()).stdout)
    assert "script" not in [tag for tag, _ in dom.tags]
    assert "<script>document.title='pwned'</script>" in "".join(dom.text)  # shown, as text
    assert "pwned" not in "".join(dom.text[:3])  # the <title> is ours
    rows = [attrs.get("class") for tag, attrs in dom.tags if tag == "tr" and attrs.get("class") in ("passed", "failed")]
    assert rows == [t["status"] for t in batch.result("html_in_messages")["tests"]] and "failed" in rows
    images = [attrs for tag, attrs in dom.tags if tag == "img"]
    assert [a.get("id") for a in images] == ["plots"] and str(images[0]["src"]).startswith("data:image/png;base64,")
