"""Trusted side: what is checked, how answers are compared and scored, and the process supervisor.

Nothing in here ever runs student code; it reads the sandbox's answers through
`autograder.channel` and decides.
"""
