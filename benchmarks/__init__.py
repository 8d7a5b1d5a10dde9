"""Benchmarks of the sync protocol and the app shell: ``python -m benchmarks [name ...]``."""
