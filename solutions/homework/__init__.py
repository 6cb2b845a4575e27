"""The homework (the lecture's weeks 3-4): reference, checks, plots and audit notes; trusted."""
