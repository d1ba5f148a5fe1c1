"""Benchmarks: a scale generator for the data packages and a timed build of the whole site.

`benchmarks/run` (see README, "Benchmark") is the entry point.
"""
