"""Networks with memory, 1986-1997."""
