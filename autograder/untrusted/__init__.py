"""Untrusted side: code that runs inside the sandbox, next to (and at the mercy of) student code.

Nothing here decides a score. It loads a submission, calls its functions through `probes`, and
reports plain observations over `autograder.channel`. The grader must not import `solutions`
here, and the sandbox does not even contain it.
"""
