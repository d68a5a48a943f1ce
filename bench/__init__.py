"""Benchmarks at one million returnees; each script runs with one command and appends to docs/benchmarks.md."""
