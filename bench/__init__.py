"""Benchmarks of the collections platform: ``python -m bench <name> [args]`` (``python -m bench`` lists them).

Each benchmark is a module ``bench/<name>.py`` with ``main(argv) -> int``; it prints its figures
and a baseline measured in the same run, and the ratio between them.
"""
