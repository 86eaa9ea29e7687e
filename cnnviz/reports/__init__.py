"""The five reports (``SEEDS.md``) in one place: each report's data, runs and figures
(``experiments``), the runs to queue and how long they take on this machine (``plan``), and the
report's figures set beside those of the finished runs (``compare``).

Importing this package does not import TensorFlow: the Reports page plans and compares
without it.
"""
