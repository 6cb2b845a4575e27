"""Why a surviving mutant is acceptable: an assignment's `audit.py` lists these, keyed by mutant id.

An entry names the edit it explains (`change`, exactly as the audit prints it), so if the reference
changes and the id comes to mean another edit, the entry is reported stale instead of silently
explaining something else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    change: str
    why: str
