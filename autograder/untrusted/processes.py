"""The sandbox's own process bookkeeping: who descends from whom, and killing a whole subtree.

Read from /proc, so it sees every process of the sandbox however it was started (double forks,
`setsid`, daemons): orphans re-parent to the nearest subreaper, which is always ours.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Collection

from autograder.untrusted import keep_builtins

keep_builtins(globals())

PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36


def prctl_on(option: int) -> None:
    """Linux prctl(option, 1); a no-op where libc has none (the grader still kills by wall clock)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def become_subreaper() -> None:
    """Orphans of student code re-parent to this process, so killing its tree gets them all."""
    prctl_on(_PR_SET_CHILD_SUBREAPER)


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def parents() -> dict[int, int]:
    """pid -> parent pid of every living process we can see (only the sandbox's, in a PID namespace)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                state, parent = _stat(entry)[:2]
            except (OSError, ValueError):
                continue
            if state != "Z":
                found[int(entry)] = int(parent)
    return found


_PF_EXITING = 0x4
_SIGKILL_BIT = 1 << (signal.SIGKILL - 1)


def lives_on(pid: int) -> bool:
    """`pid` is alive and nothing is ending it. A SIGKILL sent a moment ago may not have been acted on yet,
    so a process already exiting (PF_EXITING) or with SIGKILL pending counts as ended, as does a zombie."""
    try:
        fields = _stat(pid)
        with open(f"/proc/{pid}/status") as f:
            pending = [int(line.split()[1], 16) for line in f if line.startswith(("SigPnd:", "ShdPnd:"))]
    except (OSError, ValueError, IndexError):
        return False
    if fields[0] in ("Z", "X", "x") or int(fields[6]) & _PF_EXITING:
        return False
    return not any(mask & _SIGKILL_BIT for mask in pending)


def tree(root: int, parent_of: dict[int, int]) -> list[int]:
    """root and every descendant of it."""
    found, todo = [], [root]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(pid for pid, parent in parent_of.items() if parent == current)
    return found


def _childless() -> bool:
    """No child at all, read from /proc/self/task/*/children: a few small reads instead of every process's
    stat file (asked after every check). False where the kernel has no such file: then the full scan decides."""
    try:
        for thread in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{thread}/children") as f:
                if f.read().strip():
                    return False
    except OSError:
        return False
    return True


def kill_descendants(*, spare: Collection[int] = (), keep: int = 0) -> int:
    """SIGKILL every descendant of this process but the children in `spare` with their trees, and
    `keep` itself (its own descendants are killed). Returns how many processes were killed.

    Repeated until none is left: a fork bomb can add children while we kill, but a process with
    SIGKILL pending can no longer fork, so each round strictly shrinks what is left.
    """
    if _childless():
        return 0  # nothing's parent is this process: the scan of /proc below would find no victim
    me = os.getpid()
    killed: set[int] = set()
    for _ in range(200):
        parent_of = parents()
        victims = [pid for child, parent in parent_of.items() if parent == me and child not in spare
                   for pid in tree(child, parent_of) if pid != keep]
        if not victims:
            break
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
                killed.add(victim)
            except OSError:
                pass
        time.sleep(0.002)
    return len(killed)
