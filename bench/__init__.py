"""Benchmarks and the soak test (run them with ``scripts/bench NAME``)."""
