"""One module per function of the homework; each check sits next to the sentence it enforces."""
