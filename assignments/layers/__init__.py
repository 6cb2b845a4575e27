"""The layers assignment: nn.Linear, torch.optim.SGD, dtypes and shapes (the lecture's second half)."""
