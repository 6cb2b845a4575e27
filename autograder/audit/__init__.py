"""The audit of the checks themselves: how many typical wrong answers (mutants of the reference) they catch.

Trusted code: it only writes mutant files, grades them with the normal sandboxed grader and reads
the verdicts. No mutant ever runs in this process.
"""
