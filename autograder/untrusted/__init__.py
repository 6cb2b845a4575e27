"""Untrusted side: code that runs inside the sandbox, next to (and at the mercy of) student code.

Nothing here decides a score. It loads a submission, calls its functions through `probes`, and
reports plain observations over `autograder.channel`. The grader must not import `solutions`
here, and the sandbox does not even contain it.
"""

import builtins
from typing import Any


def keep_builtins(module_globals: dict[str, Any]) -> None:
    """Give a module its own copy of the builtins (min, len, isinstance, ...).

    Student code shares the process and may replace `builtins.min` and the like; a module's
    globals are looked up before the builtins, so the sandbox's own plumbing keeps working.
    """
    module_globals.update({name: value for name, value in vars(builtins).items() if not name.startswith("_")})
