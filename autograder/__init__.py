"""The autograder for the lecture's assignments.

Trusted side: `autograder.trusted` (check registry, comparison, scoring, the process supervisor).
Untrusted side: `autograder.untrusted` (loading and running a submission, inside the sandbox).
Between them: `autograder.channel`, the only format that crosses (JSON headers, safetensors blobs).
This module imports only `sys`, so the sandbox can import the package without the trusted side.
"""

import sys

# jsonschema (under nbformat and nbgrader) compiles an IRI grammar at import when the optional
# rfc3987_syntax is installed (nbgrader's dependencies bring it): 1.6 s on every process that reads a
# notebook, for a "format" no notebook field uses. None in sys.modules makes that optional import
# fail, as if absent. Here, so it holds before any module of the package imports nbformat.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def check(function: str | None = None, *, lang: str | None = None, assignment: str | None = None) -> object:
    """In a notebook: run the public checks on the functions defined so far and show the results
    inline (`check()` for all, `check("sigmoid")` for one). The assignment is the notebook's own
    (see autograder.notebook.which_assignment). Imports the checks only when called."""
    from autograder.notebook import check as run_public_checks

    return run_public_checks(function, lang=lang, assignment=assignment)
