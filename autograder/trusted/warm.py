"""Imported once by the batch's fork server, before it forks the grading workers (`batch.grade_many`).

What every grading process needs, paid once instead of once per worker: the grader's modules, torch,
hypothesis, and torch's lazy first-use costs (but torch._dynamo's: autograder/untrusted/deferred_dynamo.py). The
fork server is a fresh, single-threaded process, so its forks are safe, and they share these pages.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch: a forked OpenMP pool would deadlock

from autograder.trusted import grader, sandbox  # noqa: E402, F401  (warm: torch, hypothesis, the checks' engine)
from autograder.untrusted import probes  # noqa: E402

probes.warm_up()
sandbox.mark_warm()

import gc  # noqa: E402

gc.freeze()  # what is here now is never collected: its forks do not copy these pages to scan them
