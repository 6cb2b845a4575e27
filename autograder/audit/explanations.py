"""Why a surviving mutant is acceptable: one entry per mutant id, with the change it stands for.

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


EXPLANATIONS: dict[str, Explanation] = {}  # mutant id → why its survival is fine

_CLAMP = ("The clamp only acts where log ŷ < −100, i.e. ŷ < 4e-44: below float32's normal range, so in practice "
          "only at ŷ exactly 0 or 1. There the spec asks for a finite loss, not for torch's −100 (check "
          "bce_loss.exactly_zero_or_one wants a large finite loss): clamping at −101, or at any other large "
          "value, is a right answer on purpose.")

EXPLANATIONS.update({
    "bce_loss.constant.0": Explanation(
        "`100` → `101` in `log_p = torch.clamp(torch.log(yhat), min=-100)`", _CLAMP),
    "bce_loss.constant.2": Explanation(
        "`100` → `101` in `log_q = torch.clamp(torch.log(1 - yhat), min=-100)`", _CLAMP),
})
