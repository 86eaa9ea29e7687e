"""The heap is frozen once, and only after TensorFlow is in the server (cnnviz/ui/server_gc.py).
Run in a fresh interpreter: freezing pytest's own heap would outlive the test."""

import subprocess
import sys

CHECK = """
import gc, sys, types
from cnnviz.ui.server_gc import freeze_after_tensorflow
assert not freeze_after_tensorflow() and gc.get_freeze_count() == 0
sys.modules["tensorflow"] = types.ModuleType("tensorflow")
assert freeze_after_tensorflow() and gc.get_freeze_count() > 0
assert not freeze_after_tensorflow()
"""


def test_heap_frozen_once_after_tensorflow() -> None:
    subprocess.run([sys.executable, "-c", CHECK], check=True, timeout=60)
