"""Benchmark harness and synthetic data generator (not part of the installed package)."""
