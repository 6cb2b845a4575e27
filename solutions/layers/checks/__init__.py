"""The layers assignment's checks, one module per function, each next to the spec sentence it enforces."""
