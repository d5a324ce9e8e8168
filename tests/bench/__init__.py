"""Benchmarks and soak as tests (correctness only, no timing assertions)."""
