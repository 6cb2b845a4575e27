"""The autograder for the lecture's homework.

Trusted side: `autograder.trusted` (check registry, comparison, scoring, the process supervisor).
Untrusted side: `autograder.untrusted` (loading and running a submission, inside the sandbox).
Between them: `autograder.channel`, the only format that crosses (JSON headers, safetensors blobs).
This module imports nothing, so the sandbox can import the package without the trusted side.
"""
