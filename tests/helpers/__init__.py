"""Shared helpers of the tests and the benchmarks: run folders, image files, browsers, class load."""
