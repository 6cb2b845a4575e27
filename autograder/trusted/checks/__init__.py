"""One module per function of the assignment; each check sits next to the sentence it enforces."""
