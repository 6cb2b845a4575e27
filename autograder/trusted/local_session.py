"""A check session in this process: the probe runs here, its answer goes through the channel's format.

Used where no sandbox is needed or possible: making the plans (the reference answering its own
checks) and the in-kernel path of plain nbgrader and `check()`.
"""

from __future__ import annotations

from typing import Any

import torch

from autograder import channel
from autograder.untrusted import probes


class LocalSession:
    """A CheckSession that calls the function in this process, through the same data format."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.fault = None
        self.deadline = 0.0

    def call(self, probe: str, params: dict[str, Any], tensors: dict[str, torch.Tensor]
             ) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        facts, out = probes.run(probe, self.function, tensors, params)
        try:
            header, decoded = channel.decode(channel.encode({"facts": facts}, out))
        except (ValueError, TypeError, RuntimeError, channel.ChannelError) as exc:
            return {"error": {"type": type(exc).__name__, "message": str(exc)[:500], "where": None}}, {}
        return header["facts"], decoded

    def call_many(self, requests: list[tuple[str, dict[str, Any], dict[str, torch.Tensor]]]
                  ) -> list[tuple[dict[str, Any], dict[str, torch.Tensor]]]:
        return [self.call(*request) for request in requests]
