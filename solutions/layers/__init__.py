"""The trusted side of the layers assignment: the reference, its checks and its audit notes."""
