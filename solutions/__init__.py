"""The trusted side of every assignment: `solutions/<assignment>/` holds its reference, its checks
and its description. Imported by the grader only, never reachable from student code."""
