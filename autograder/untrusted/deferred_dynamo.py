"""torch's optimizers import torch._dynamo (0.9 s here) on their first step, only to call two things that do
nothing unless torch.compile is tracing: `torch._dynamo.graph_break()` and `torch._dynamo.disable(fn)`. And
nothing can be tracing before torch._dynamo is imported. Every warm process (the sandbox's zygotes, the
grading workers' fork server, a cold run's grader) paid that import as it started, side by side on the
same cores.

`defer()` puts a stand-in for torch._dynamo in sys.modules: those two do nothing while it stands, and
anything else asked of it (an attribute, a submodule: torch.compile does both) imports the real one, which
replaces it, with every function it disabled so far handed over to the real `disable`.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

import torch

from autograder.untrusted import keep_builtins

keep_builtins(globals())  # it runs beside student code, which may replace builtins.isinstance and the like
NAME = "torch._dynamo"


class _StandIn(types.ModuleType):
    __file__ = None  # tools that walk sys.modules for files (inspect.getmodule) find none, and import nothing

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name != "__path__":
            raise AttributeError(name)
        return getattr(_real(), name)  # __path__ too: importing a submodule needs the real package

    @staticmethod
    def graph_break() -> None:
        """Outside tracing, the real one does nothing either."""
        if not isinstance(sys.modules.get(NAME), _StandIn):
            _real().graph_break()

    @staticmethod
    def disable(fn: Callable[..., Any], recursive: bool = True, wrapping: bool = True) -> Callable[..., Any]:
        """`fn` itself while nothing traces; from the real import on, the real disable's own version of it."""
        real: Callable[..., Any] | None = None

        def disabled(*args: Any, **kwargs: Any) -> Any:
            nonlocal real
            if real is None:
                if isinstance(sys.modules.get(NAME), _StandIn):
                    return fn(*args, **kwargs)
                real = _real().disable(fn, recursive, wrapping=wrapping)
            return real(*args, **kwargs)

        return disabled


def _real() -> types.ModuleType:
    if isinstance(sys.modules.get(NAME), _StandIn):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


def defer() -> bool:
    """Stand in for torch._dynamo until more than its no-ops is needed; False if it is imported already."""
    if NAME in sys.modules:
        return False
    # torch's attribute too: without it, each optimizer step's `import torch._dynamo` asks torch.__getattr__,
    # which imports it again (about 30 us a step).
    sys.modules[NAME] = torch._dynamo = _StandIn(NAME, __doc__)
    return True
